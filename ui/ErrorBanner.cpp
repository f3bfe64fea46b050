#include "ErrorBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTime>
#include <QToolButton>

namespace kcl::ui {

ErrorBanner::ErrorBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("errorBanner"));
    setAttribute(Qt::WA_StyledBackground, true);
    setStyleSheet(QStringLiteral("#errorBanner { background: #fff1e5; border-bottom: 1px solid #f0b27a; }"
                                 "#errorBanner QLabel { color: #6e2b00; }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 6, 4);
    m_icon = new QLabel(this);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(18, 18));
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    layout->addWidget(m_icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &ErrorBanner::dismiss);
    hide();
    render();
}

void ErrorBanner::showError(const QString &source, const QString &errorName, const QString &message)
{
    m_source = source;
    m_name = errorName;
    m_message = message;
    ++m_count;
    m_recent.prepend(QStringLiteral("%1  %2 (%3): %4")
                         .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), source, errorName, message));
    while (m_recent.size() > 8)
        m_recent.removeLast();
    render();
    show();
}

void ErrorBanner::dismiss()
{
    m_count = 0;
    m_recent.clear();
    hide();
    Q_EMIT dismissed();
}

QString ErrorBanner::text() const
{
    return m_label->text();
}

void ErrorBanner::render()
{
    QString t = tr("%1 reported %2: %3").arg(m_source, m_name, m_message);
    if (m_count > 1)
        t += QLatin1Char(' ') + tr("(%n more since the last dismissal)", nullptr, m_count - 1);
    m_label->setText(t);
    m_label->setToolTip(m_recent.join(QLatin1Char('\n')));
    m_close->setToolTip(tr("Dismiss"));
}

void ErrorBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        render();
    QFrame::changeEvent(event);
}

} // namespace kcl::ui
