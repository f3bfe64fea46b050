#include "NotificationsPage.h"

#include "CachedTextDelegate.h"
#include "Format.h"
#include "NotificationModel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace kcl::ui {

NotificationsPage::NotificationsPage(QWidget *parent)
    : DashboardPage(parent), m_model(new NotificationModel(NotificationModel::kDefaultMaxRows, this)),
      m_filter(new NotificationFilterModel(this))
{
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *top = new QHBoxLayout;
    m_filterLabel = new QLabel(this);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("recipientFilter"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(240);
    m_filterEdit->setMaximumWidth(320);
    m_filterLabel->setBuddy(m_filterEdit);
    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_filterLabel);
    top->addWidget(m_filterEdit);
    top->addSpacing(16);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("notificationsTable"));
    m_table->setModel(m_filter);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // New rows arrive on top and move every visible row: the cells keep their laid-out text (CachedTextDelegate).
    m_table->setItemDelegate(new CachedTextDelegate(4096, m_table));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(NotificationModel::Text, QHeaderView::Stretch);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->resizeSection(NotificationModel::Recipient, 9 * em);
    header->resizeSection(NotificationModel::Author, 9 * em);
    header->resizeSection(NotificationModel::Channel, 9 * em);
    header->resizeSection(NotificationModel::LatencyMs, 8 * em);
    header->resizeSection(NotificationModel::Time, 8 * em);
    layout->addWidget(m_table, 1);

    connect(m_filterEdit, &QLineEdit::textChanged, this, &NotificationsPage::setRecipientFilter);
    retranslateUi();
}

void NotificationsPage::setRecipientFilter(const QString &text)
{
    if (m_filterEdit->text() != text)
        m_filterEdit->setText(text); // comes back here through textChanged
    m_filter->setRecipientFilter(text);
    updateSummary();
}

void NotificationsPage::applySnapshot(const Snapshot &snapshot)
{
    m_model->update(snapshot.recentNotifications);
    m_total = snapshot.notificationsTotal;
    m_latency = snapshot.notificationLatency;
    updateSummary();
}

void NotificationsPage::updateSummary()
{
    QString text = tr("%Ln notification(s) in total", nullptr, int(std::min<qint64>(m_total, INT_MAX)));
    text += QStringLiteral("  ·  ");
    text += tr("latency p50 %1 ms, p99 %2 ms").arg(formatMs(m_latency.p50), formatMs(m_latency.p99));
    if (!m_filter->recipientFilter().isEmpty())
        text += QStringLiteral("  ·  ") + tr("showing %1 of %2 rows").arg(m_filter->rowCount()).arg(m_model->rowCount());
    m_summary->setText(text);
}

QString NotificationsPage::title() const
{
    return tr("Mention notifications");
}

void NotificationsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void NotificationsPage::retranslateUi()
{
    m_filterLabel->setText(tr("&Recipient:"));
    m_filterEdit->setPlaceholderText(tr("Filter by recipient (e.g. user_007)"));
    m_model->retranslate();
    updateSummary();
}

} // namespace kcl::ui
