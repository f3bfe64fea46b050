#include "ClusterBar.h"

#include "EngineClient.h"
#include "Format.h"
#include "cluster/LabStack.h"
#include "pipeline/NotificationService.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace kcl::ui {

ClusterBar::ClusterBar(EngineClient *engine, QWidget *parent) : QFrame(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("clusterBar"));
    setAttribute(Qt::WA_StyledBackground, true);
    setStyleSheet(QStringLiteral(
        "#clusterBar { background: #f5f7fa; border-bottom: 1px solid #d0d7de; }"
        "#clusterBar QLabel[role=\"title\"] { color: #57606a; font-size: 8pt; }"
        "#clusterBar QLabel[role=\"value\"] { color: #1f2328; font-size: 12pt; font-weight: 600; }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 12, 6);
    layout->setSpacing(24);
    for (int i = 0; i < TileCount; ++i) {
        auto *box = new QVBoxLayout;
        box->setSpacing(0);
        m_tiles[std::size_t(i)].title = new QLabel(this);
        m_tiles[std::size_t(i)].title->setProperty("role", QStringLiteral("title"));
        m_tiles[std::size_t(i)].value = new QLabel(this);
        m_tiles[std::size_t(i)].value->setProperty("role", QStringLiteral("value"));
        m_tiles[std::size_t(i)].value->setTextFormat(Qt::RichText);
        box->addWidget(m_tiles[std::size_t(i)].title);
        box->addWidget(m_tiles[std::size_t(i)].value);
        layout->addLayout(box);
    }
    layout->addStretch(1);

    m_embeddedButton = new QPushButton(this);
    m_embeddedButton->setObjectName(QStringLiteral("embeddedButton"));
    m_stackButton = new QPushButton(this);
    m_stackButton->setObjectName(QStringLiteral("stackButton"));
    layout->addWidget(m_embeddedButton);
    layout->addWidget(m_stackButton);
    m_stack = new LabStack(this);
    connect(m_embeddedButton, &QPushButton::clicked, this, &ClusterBar::onEmbeddedClicked);
    connect(m_stackButton, &QPushButton::clicked, this, &ClusterBar::onStackClicked);
    connect(m_stack, &LabStack::finished, this, &ClusterBar::onStackFinished);
    connect(m_stack, &LabStack::outputLine, this, [this](const QString &line, bool) {
        if (!line.trimmed().isEmpty())
            m_stackButton->setToolTip(line.trimmed()); // the script's latest step
    });
    m_stackTicker.setInterval(1000);
    connect(&m_stackTicker, &QTimer::timeout, this, &ClusterBar::renderButtons);
    retranslateUi();
}

void ClusterBar::onEmbeddedClicked()
{
    if (!m_engine)
        return;
    const ClusterProfile profile = m_engine->clusterProfile();
    if (profile.kind == ClusterProfile::Kind::Embedded && m_state == EngineState::Running) {
        m_engine->stop(); // engineStopped() comes back and sets the state
        return;
    }
    const int brokers = profile.kind == ClusterProfile::Kind::Embedded ? profile.embeddedBrokers : 3;
    m_engine->connectTo(ClusterProfile::embedded(brokers));
    setEngineState(EngineState::Starting, ClusterProfile::embedded(brokers).describe());
}

void ClusterBar::onStackClicked()
{
    const bool engineOnStack = m_engine && m_engine->clusterProfile().kind == ClusterProfile::Kind::Local;
    if (m_stackState == StackState::Up || (m_stackState == StackState::Idle && engineOnStack)) {
        // Off the stack first, so the pipeline does not report every broker going away.
        if (engineOnStack) {
            m_engine->connectTo(ClusterProfile::embedded());
            setEngineState(EngineState::Starting, ClusterProfile::embedded().describe());
        }
        if (!m_stack->down()) {
            Q_EMIT errorOccurred(tr("local lab stack"), QStringLiteral("labstack.sh"), tr("could not run the script: %1")
                                 .arg(m_stack->scriptPath().isEmpty() ? tr("labstack.sh was not found") : m_stack->scriptPath()));
            return;
        }
        m_stackState = StackState::Stopping;
    } else {
        // One broker with the search node and PostgreSQL: what ClusterProfile::local() points at.
        if (!m_stack->up(1, {QStringLiteral("search"), QStringLiteral("sql")})) {
            QString where;
            LabStack::locateScript(&where);
            Q_EMIT errorOccurred(tr("local lab stack"), QStringLiteral("labstack.sh"), tr("could not run the script: %1")
                                 .arg(m_stack->scriptPath().isEmpty() ? where : m_stack->scriptPath()));
            return;
        }
        m_stackState = StackState::Starting;
    }
    m_stackSince.start();
    m_stackTicker.start();
    renderButtons();
}

void ClusterBar::onStackFinished(int exitCode, const QString &output)
{
    m_stackTicker.stop();
    const bool starting = m_stackState == StackState::Starting;
    if (exitCode == LabStack::Ok) {
        m_stackState = starting ? StackState::Up : StackState::Idle;
        m_stackButton->setToolTip(QString());
        if (starting && m_engine) {
            m_engine->connectTo(ClusterProfile::local());
            setEngineState(EngineState::Starting, ClusterProfile::local().describe());
        }
        renderButtons();
        return;
    }
    m_stackState = starting ? StackState::Idle : StackState::Up;
    // The script ends with what went wrong and what to do: its last lines.
    QStringList lines;
    const QStringList all = output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = all.size() - 1; i >= 0 && lines.size() < 3; --i)
        if (!all[i].trimmed().isEmpty())
            lines.prepend(all[i].trimmed());
    const QString message = lines.isEmpty() ? tr("the script ended with exit code %1 and no message").arg(exitCode)
                                            : lines.join(QLatin1Char(' '));
    Q_EMIT errorOccurred(tr("local lab stack"), QStringLiteral("labstack.sh exit %1").arg(exitCode),
                         (starting ? tr("the stack did not start: %1") : tr("the stack did not stop: %1")).arg(message));
    renderButtons();
}

void ClusterBar::renderButtons()
{
    const ClusterProfile profile = m_engine ? m_engine->clusterProfile() : ClusterProfile{};
    const bool onEmbedded = profile.kind == ClusterProfile::Kind::Embedded;
    if (onEmbedded && m_state != EngineState::Stopped) {
        m_embeddedButton->setText(tr("Stop embedded cluster"));
        m_embeddedButton->setEnabled(m_engine && m_state == EngineState::Running);
    } else {
        m_embeddedButton->setText(tr("Start embedded cluster"));
        m_embeddedButton->setEnabled(m_engine && m_state != EngineState::Starting);
    }
    const int seconds = m_stackSince.isValid() ? int(m_stackSince.elapsed() / 1000) : 0;
    switch (m_stackState) {
    case StackState::Starting:
        m_stackButton->setText(tr("Starting local stack… %1 s").arg(seconds));
        m_stackButton->setEnabled(false);
        break;
    case StackState::Stopping:
        m_stackButton->setText(tr("Stopping local stack… %1 s").arg(seconds));
        m_stackButton->setEnabled(false);
        break;
    case StackState::Up:
        m_stackButton->setText(tr("Stop local stack"));
        m_stackButton->setEnabled(true);
        break;
    case StackState::Idle:
        m_stackButton->setText(profile.kind == ClusterProfile::Kind::Local ? tr("Stop local stack") : tr("Start local stack"));
        m_stackButton->setEnabled(true);
        break;
    }
}

void ClusterBar::applySnapshot(const Snapshot &snapshot)
{
    m_snapshot.clusterDescription = snapshot.clusterDescription;
    m_snapshot.brokers = snapshot.brokers;
    m_snapshot.producedPerSec = snapshot.producedPerSec;
    m_snapshot.groups = snapshot.groups;
    m_snapshot.notificationsTotal = snapshot.notificationsTotal;
    m_snapshot.notificationLatency = snapshot.notificationLatency;
    m_haveSnapshot = true;
    if (m_state == EngineState::Starting)
        m_state = EngineState::Running;
    if (m_cluster.isEmpty())
        m_cluster = QString::fromStdString(snapshot.clusterDescription);
    render();
}

void ClusterBar::setEngineState(EngineState state, const QString &clusterDescription)
{
    m_state = state;
    if (!clusterDescription.isEmpty())
        m_cluster = clusterDescription;
    render();
}

QString ClusterBar::titleText(Tile tile) const
{
    return m_tiles[std::size_t(tile)].title->text();
}

QString ClusterBar::valueText(Tile tile) const
{
    return m_tiles[std::size_t(tile)].value->text();
}

void ClusterBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QFrame::changeEvent(event);
}

void ClusterBar::retranslateUi()
{
    m_tiles[Cluster].title->setText(tr("Cluster"));
    m_tiles[Brokers].title->setText(tr("Brokers"));
    m_tiles[Produced].title->setText(tr("Produced"));
    m_tiles[Consumed].title->setText(tr("Consumed (notification-service)"));
    m_tiles[Notifications].title->setText(tr("Notifications"));
    m_tiles[Latency].title->setText(tr("Notification latency p50 / p99"));
    render();
}

void ClusterBar::render()
{
    QString state;
    switch (m_state) {
    case EngineState::Starting: state = tr("starting…"); break;
    case EngineState::Running: state = tr("running"); break;
    case EngineState::Stopped: state = tr("stopped"); break;
    }
    renderButtons();
    const QString fullCluster = m_cluster.isEmpty() ? tr("embedded") : m_cluster;
    // Long descriptions (bootstrap lists) are elided; the tooltip has all of it.
    QFont valueFont = m_tiles[Cluster].value->font();
    valueFont.setPointSizeF(12);
    valueFont.setWeight(QFont::DemiBold);
    const QString cluster = QFontMetrics(valueFont).elidedText(fullCluster, Qt::ElideRight, 300);
    m_tiles[Cluster].value->setToolTip(fullCluster);
    const QString stateColor = m_state == EngineState::Running ? QStringLiteral("#1a7f37")
                               : m_state == EngineState::Stopped ? QStringLiteral("#cf222e")
                                                                 : QStringLiteral("#9a6700");
    m_tiles[Cluster].value->setText(QStringLiteral("%1 <span style=\"color:%2; font-size:9pt\">● %3</span>")
                                        .arg(cluster.toHtmlEscaped(), stateColor, state.toHtmlEscaped()));
    if (!m_haveSnapshot) {
        for (int i = Brokers; i < TileCount; ++i)
            m_tiles[std::size_t(i)].value->setText(QStringLiteral("–"));
        return;
    }
    const Snapshot &s = m_snapshot;
    int up = 0, down = 0;
    for (const BrokerState &b : s.brokers)
        (b.up ? up : down)++;
    QString brokers = tr("%1 up").arg(up);
    if (down > 0)
        brokers += QStringLiteral(" / <span style=\"color:#cf222e\">%1</span>").arg(tr("%1 down").arg(down).toHtmlEscaped());
    m_tiles[Brokers].value->setText(brokers);
    m_tiles[Produced].value->setText(tr("%1/s").arg(formatRate(s.producedPerSec)));
    double consumed = 0;
    int members = 0;
    for (const GroupInfo &g : s.groups)
        if (g.groupId == kNotificationGroup) {
            consumed = g.consumedPerSec;
            members = static_cast<int>(g.members.size());
        }
    m_tiles[Consumed].value->setText(tr("%1/s").arg(formatRate(consumed)) + QStringLiteral(
        " <span style=\"color:#57606a; font-size:9pt\">%1</span>").arg(tr("%n member(s)", nullptr, members).toHtmlEscaped()));
    m_tiles[Notifications].value->setText(formatCount(s.notificationsTotal));
    m_tiles[Latency].value->setText(tr("%1 / %2 ms").arg(formatMs(s.notificationLatency.p50), formatMs(s.notificationLatency.p99)));
}

} // namespace kcl::ui
