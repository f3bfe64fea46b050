#include "Toast.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace kcl::ui {

MentionToast::MentionToast(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("mentionToast"));
    setAttribute(Qt::WA_StyledBackground, true);
    setStyleSheet(QStringLiteral(
        "#mentionToast { background: #263238; border: 1px solid #78909c; border-radius: 8px; }"
        "#mentionToast QLabel { color: #eceff1; background: transparent; }"
        "#mentionToast QLabel#toastTitle { color: #ffd54f; font-weight: bold; }"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(4);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("toastTitle"));
    m_body = new QLabel(this);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::PlainText);
    layout->addWidget(m_title);
    layout->addWidget(m_body);
    setFixedWidth(340);
    // A border, not a drop shadow: a QGraphicsDropShadowEffect blurs the toast again whenever anything under it
    // repaints (the feed, five times a second), which took 9% of the GUI thread's time on the notifications page.
    hide();

    m_hideTimer.setSingleShot(true);
    m_hideTimer.setInterval(4000);
    connect(&m_hideTimer, &QTimer::timeout, this, &QWidget::hide);
    m_pendingTimer.setSingleShot(true);
    connect(&m_pendingTimer, &QTimer::timeout, this, &MentionToast::showPending);
    if (parent)
        parent->installEventFilter(this); // follow the parent's size
}

QString MentionToast::currentText() const
{
    return m_title->text() + QLatin1Char('\n') + m_body->text();
}

void MentionToast::notify(int count, const QString &recipient, const QString &author, const QString &channel,
                          const QString &text)
{
    if (!m_enabled || count <= 0)
        return;
    m_pendingCount += count;
    m_recipient = recipient;
    m_author = author;
    m_channel = channel;
    m_text = text;
    if (!m_sinceLast.isValid() || m_sinceLast.elapsed() >= m_minIntervalMs)
        showPending();
    else if (!m_pendingTimer.isActive())
        m_pendingTimer.start(int(m_minIntervalMs - m_sinceLast.elapsed()));
}

void MentionToast::showPending()
{
    if (m_pendingCount <= 0)
        return;
    m_title->setText(tr("New mention"));
    QString body = tr("@%1 was mentioned by %2 in #%3").arg(m_recipient, m_author, m_channel);
    const QString excerpt = m_text.simplified();
    if (!excerpt.isEmpty())
        body += QStringLiteral("\n\u201c%1\u201d").arg(excerpt.size() > 80 ? excerpt.left(79) + QChar(0x2026) : excerpt);
    if (m_pendingCount > 1)
        body += QLatin1Char('\n') + tr("and %n more", nullptr, m_pendingCount - 1);
    m_body->setText(body);
    m_pendingCount = 0;
    m_sinceLast.start();
    ++m_shown;
    // Height for the fixed width (the body wraps): ask the layout, not the last size.
    setFixedHeight(layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : sizeHint().height());
    reposition();
    show();
    raise();
    m_hideTimer.start();
}

void MentionToast::reposition()
{
    if (QWidget *p = parentWidget())
        move(p->width() - width() - 16, p->height() - height() - 16);
}

bool MentionToast::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        reposition();
    return QFrame::eventFilter(watched, event);
}

void MentionToast::mousePressEvent(QMouseEvent *)
{
    hide(); // click to dismiss
}

void MentionToast::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && isVisible())
        m_title->setText(tr("New mention"));
    QFrame::changeEvent(event);
}

} // namespace kcl::ui
