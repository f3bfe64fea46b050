#include "ErrorBanner.h"

#include <algorithm>
#include <initializer_list>

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
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 6, 4);
    m_icon = new QLabel(this);
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

namespace {
const QStringList &groupTransients()
{
    static const QStringList names = {
        QStringLiteral("REBALANCE_IN_PROGRESS"), QStringLiteral("_ASSIGNMENT_LOST"), QStringLiteral("ILLEGAL_GENERATION"),
        QStringLiteral("UNKNOWN_MEMBER_ID"), QStringLiteral("NOT_COORDINATOR"), QStringLiteral("COORDINATOR_NOT_AVAILABLE"),
        QStringLiteral("COORDINATOR_LOAD_IN_PROGRESS"), QStringLiteral("_REVOKE_PARTITIONS")};
    return names;
}
} // namespace

bool ErrorBanner::isTransientError(const QString &errorName)
{
    return groupTransients().contains(errorName);
}

QString ErrorBanner::hintFor(const QString &errorName)
{
    const auto is = [&](std::initializer_list<const char *> names) {
        return std::any_of(names.begin(), names.end(), [&](const char *n) { return errorName == QLatin1String(n); });
    };
    if (isTransientError(errorName))
        return tr("This happens while a consumer group rebalances (a member joined or left) and clears by itself. "
                  "Offsets that could not be committed are read again, so a few events may be handled twice.");
    if (is({"_TRANSPORT", "_ALL_BROKERS_DOWN", "_RESOLVE", "LEADER_NOT_AVAILABLE", "NOT_LEADER_OR_FOLLOWER",
            "NOT_LEADER_FOR_PARTITION"}))
        return tr("A broker cannot be reached. If a lab stopped a broker this is expected; the clients reconnect when "
                  "it is back. Otherwise check that the cluster is running.");
    if (is({"_MSG_TIMED_OUT", "_TIMED_OUT", "REQUEST_TIMED_OUT"}))
        return tr("The cluster answered too slowly (a busy machine, or a slow or stopped broker). Lower the workload "
                  "rate or check the brokers.");
    if (is({"_AUTHENTICATION", "SASL_AUTHENTICATION_FAILED"}))
        return tr("The cluster refused the login. Check the SASL mechanism, user name and password in the connection settings.");
    if (is({"_SSL"}))
        return tr("The TLS handshake failed. Check the CA file and that the broker's certificate matches the address you connect to.");
    if (is({"_QUEUE_FULL"}))
        return tr("The producer's queue is full: events are made faster than the cluster accepts them. Lower the workload rate.");
    if (is({"UNKNOWN_TOPIC_OR_PART", "_UNKNOWN_TOPIC"}))
        return tr("The topic does not exist on this cluster. Check its name; the pipeline creates the guide's topics when it starts.");
    if (is({"NOT_ENOUGH_REPLICAS", "NOT_ENOUGH_REPLICAS_AFTER_APPEND"}))
        return tr("Too few in-sync replicas (min.insync.replicas) to accept a write with acks=all. Start the stopped broker again.");
    if (is({"OFFSET_OUT_OF_RANGE", "_AUTO_OFFSET_RESET"}))
        return tr("The consumer's position is no longer in the log (retention removed it); it starts again where auto.offset.reset says.");
    if (is({"_UNSUPPORTED_FEATURE"}))
        return tr("This cluster does not support the request: the embedded cluster lacks some admin APIs. Use the local lab stack for it.");
    if (is({"MSG_SIZE_TOO_LARGE"}))
        return tr("The event is larger than the broker accepts (message.max.bytes).");
    if (is({"_INVALID_ARG"}))
        return tr("The cluster could not be used with these settings. Check the connection settings and start again.");
    return {};
}

void ErrorBanner::showError(const QString &source, const QString &errorName, const QString &message)
{
    m_source = source;
    m_name = errorName;
    m_message = message;
    // A real problem wins over transient ones until dismissed.
    m_transient = (m_count == 0 || m_transient) && isTransientError(errorName);
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
    m_transient = false;
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
    const QString hint = hintFor(m_name);
    if (!hint.isEmpty())
        t += QLatin1Char('\n') + hint;
    m_label->setText(t);
    const bool transient = m_transient;
    if (property("transient").toBool() != transient || !property("transient").isValid()) {
        setProperty("transient", transient);
        setStyleSheet(transient ? QStringLiteral("#errorBanner { background: #ddf4ff; border-bottom: 1px solid #80ccff; }"
                                                 "#errorBanner QLabel { color: #0a3069; }")
                                : QStringLiteral("#errorBanner { background: #fff1e5; border-bottom: 1px solid #f0b27a; }"
                                                 "#errorBanner QLabel { color: #6e2b00; }"));
        m_icon->setPixmap(style()->standardIcon(transient ? QStyle::SP_MessageBoxInformation : QStyle::SP_MessageBoxWarning)
                              .pixmap(18, 18));
    }
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
