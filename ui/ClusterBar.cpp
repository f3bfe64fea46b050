#include "ClusterBar.h"

#include "Format.h"
#include "pipeline/NotificationService.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace kcl::ui {

ClusterBar::ClusterBar(QWidget *parent) : QFrame(parent)
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
    retranslateUi();
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
