#include "EventsPage.h"

#include "CachedTextDelegate.h"
#include "EngineClient.h"
#include "events/Event.h"
#include "events/Topics.h"
#include "pipeline/EventTail.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kcl::ui {

int TailModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_records.size()); }
int TailModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

const TailRecord *TailModel::record(int row) const
{
    return row >= 0 && row < rowCount() ? &m_records[static_cast<std::size_t>(row)] : nullptr;
}

QVariant TailModel::data(const QModelIndex &index, int role) const
{
    const TailRecord *r = record(index.row());
    if (!r || !index.isValid())
        return {};
    if (role == Qt::ForegroundRole && !r->parsed && index.column() >= Type)
        return QColor(0xcf, 0x22, 0x2e);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(r->timestampMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Partition: return r->partition;
    case Offset: return QVariant::fromValue<qint64>(r->offset);
    case Key: return QString::fromStdString(r->key);
    case Type: return r->parsed ? QString::fromStdString(r->eventType) : tr("not an event");
    case Summary: return QString::fromStdString(r->summary);
    default: return {};
    }
}

QVariant TailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Partition: return tr("Partition");
    case Offset: return tr("Offset");
    case Key: return tr("Key");
    case Type: return tr("Event type");
    case Summary: return tr("What it says");
    default: return {};
    }
}

void TailModel::setRecords(const std::vector<TailRecord> &records)
{
    // A hundred rows at most, a few times a second: a reset is cheaper than diffing.
    beginResetModel();
    m_records.assign(records.rbegin(), records.rend());
    endResetModel();
}

EventsPage::EventsPage(EngineClient *engine, QWidget *parent) : DashboardPage(parent), m_engine(engine)
{
    m_model = new TailModel(this);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_topicLabel = new QLabel(this);
    m_topic = new QComboBox(this);
    for (auto t : topics::kAll)
        m_topic->addItem(QString::fromLatin1(t.data(), int(t.size())));
    m_topicLabel->setBuddy(m_topic);
    m_tailStatus = new QLabel(this);
    top->addWidget(m_topicLabel);
    top->addWidget(m_topic);
    top->addWidget(m_tailStatus, 1);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Vertical, this);
    auto *tailSplit = new QSplitter(Qt::Horizontal, split);
    m_table = new QTableView(tailSplit);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // The tail moves down a few times a second: the cells keep their laid-out text (CachedTextDelegate).
    m_table->setItemDelegate(new CachedTextDelegate(4096, m_table));
    m_details = new QPlainTextEdit(tailSplit);
    m_details->setReadOnly(true);
    tailSplit->setStretchFactor(0, 3);
    tailSplit->setStretchFactor(1, 2);

    auto *form = new QWidget(split);
    auto *formLayout = new QVBoxLayout(form);
    auto *formTop = new QHBoxLayout;
    m_formLabel = new QLabel(form);
    m_type = new QComboBox(form);
    for (EventType t : {EventType::MessageCreated, EventType::MessageUpdated, EventType::MessageDeleted,
                        EventType::NotificationSent, EventType::UserActivity})
        m_type->addItem(QString::fromLatin1(eventTypeName(t).data(), int(eventTypeName(t).size())), int(t));
    m_send = new QPushButton(form);
    m_send->setObjectName(QStringLiteral("sendEvent"));
    formTop->addWidget(m_formLabel);
    formTop->addWidget(m_type);
    formTop->addStretch(1);
    formTop->addWidget(m_send);
    formLayout->addLayout(formTop);
    m_draft = new QPlainTextEdit(form);
    m_draft->setObjectName(QStringLiteral("eventDraft"));
    formLayout->addWidget(m_draft, 1);
    m_validation = new QLabel(form);
    m_validation->setWordWrap(true);
    m_validation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    formLayout->addWidget(m_validation);
    m_sentLabel = new QLabel(form);
    m_sentLabel->setWordWrap(true);
    formLayout->addWidget(m_sentLabel);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_topic, &QComboBox::currentTextChanged, this, &EventsPage::tailTopic);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventsPage::showDetails);
    connect(m_type, &QComboBox::currentIndexChanged, this, &EventsPage::loadSample);
    connect(m_draft, &QPlainTextEdit::textChanged, this, &EventsPage::validateDraft);
    connect(m_send, &QPushButton::clicked, this, &EventsPage::send);
    connect(m_engine, &EngineClient::eventProduced, this, [this](const QString &description) {
        m_lastSent = description;
        m_sentLabel->setText(tr("Sent: %1").arg(description));
    });
    retranslateUi();
    loadSample();
}

QString EventsPage::title() const { return tr("Events"); }

void EventsPage::tailTopic(const QString &topic)
{
    if (m_topic->currentText() != topic)
        m_topic->setCurrentText(topic); // comes back here through the signal
    m_lastTailRequest.start();
    m_engine->setTailTopic(topic);
}

void EventsPage::applySnapshot(const Snapshot &s)
{
    const QString wanted = m_topic->currentText();
    // The engine may not have run when the page asked (or it restarted): ask again, at most every two seconds.
    if (QString::fromStdString(s.tailTopic) != wanted &&
        (!m_lastTailRequest.isValid() || m_lastTailRequest.elapsed() > 2000))
        tailTopic(wanted);
    if (QString::fromStdString(s.tailTopic) != wanted)
        return;
    const TailRecord *selected = m_model->record(m_table->currentIndex().row());
    const std::pair<int, qint64> keep = selected ? std::pair<int, qint64>{selected->partition, selected->offset} : std::pair<int, qint64>{-1, -1};
    m_model->setRecords(s.tail);
    for (int r = 0; keep.first >= 0 && r < m_model->rowCount(); ++r)
        if (m_model->record(r)->partition == keep.first && m_model->record(r)->offset == keep.second) {
            m_table->selectRow(r);
            break;
        }
    m_tailError = QString::fromStdString(s.tailError);
    m_tailStatus->setText(m_tailError.isEmpty() ? tr("%1 newest records of %2, decoded as they arrive").arg(m_model->rowCount()).arg(wanted)
                                                : tr("The tail cannot read %1: %2").arg(wanted, m_tailError));
}

void EventsPage::selectRow(int row)
{
    m_table->selectRow(row);
    showDetails();
}

void EventsPage::showDetails()
{
    const TailRecord *r = m_model->record(m_table->currentIndex().row());
    if (!r) {
        m_details->clear();
        return;
    }
    QString text;
    const QByteArray raw = QByteArray::fromStdString(r->value);
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &err);
    text += err.error == QJsonParseError::NoError ? QString::fromUtf8(doc.toJson(QJsonDocument::Indented)) : QString::fromUtf8(raw);
    if (r->valueCut)
        text += QLatin1Char('\n') + tr("(cut: only the first %1 bytes are kept)").arg(EventTail::kMaxValueBytes);
    if (!r->parsed)
        text += QLatin1Char('\n') + tr("Not a valid event: %1").arg(QString::fromStdString(r->summary));
    if (!r->headers.empty()) {
        text += QLatin1Char('\n') + tr("Headers:") + QLatin1Char('\n');
        for (const auto &[k, v] : r->headers)
            text += QStringLiteral("  %1 = %2\n").arg(QString::fromStdString(k), QString::fromStdString(v));
    }
    m_details->setPlainText(text);
}

QString EventsPage::rawText() const { return m_details->toPlainText(); }

void EventsPage::loadSample()
{
    const auto type = static_cast<EventType>(m_type->currentData().toInt());
    const Event e = sampleEvent(type, QDateTime::currentMSecsSinceEpoch());
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(serialize(e)));
    m_draft->setPlainText(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
}

void EventsPage::setDraft(const QString &json) { m_draft->setPlainText(json); }

void EventsPage::validateDraft()
{
    const ParseResult r = parseEvent(m_draft->toPlainText().toStdString());
    m_draftValid = r.ok();
    m_send->setEnabled(m_draftValid);
    if (r.ok()) {
        const Event &e = *r.event;
        m_validation->setStyleSheet(QStringLiteral("color: #1a7f37"));
        m_validation->setText(tr("Valid %1: goes to %2 with key %3")
                                  .arg(QString::fromLatin1(eventTypeName(e.type).data(), int(eventTypeName(e.type).size())),
                                       QString::fromLatin1(topicFor(e.type).data(), int(topicFor(e.type).size())),
                                       QString::fromStdString(e.key())));
    } else {
        m_validation->setStyleSheet(QStringLiteral("color: #cf222e"));
        m_validation->setText(tr("Not valid, nothing will be sent: %1").arg(QString::fromStdString(r.error->toString())));
    }
}

QString EventsPage::validationText() const { return m_validation->text(); }

bool EventsPage::send()
{
    if (!m_draftValid)
        return false;
    m_sentLabel->setText(tr("Sending…"));
    m_engine->produceEventJson(m_draft->toPlainText());
    return true;
}

void EventsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void EventsPage::retranslateUi()
{
    m_topicLabel->setText(tr("&Tail topic:"));
    m_formLabel->setText(tr("Produce an event by hand, type:"));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Checked with the app's own parser first; sent only when valid"));
    m_details->setPlaceholderText(tr("Select a record to see its raw JSON and headers"));
    m_model->headerDataChanged(Qt::Horizontal, 0, TailModel::ColumnCount - 1);
    validateDraft();
}

} // namespace kcl::ui
