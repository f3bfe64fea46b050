#include "ConsumerGroupModels.h"

#include "BackgroundReleaser.h"

#include "Format.h"

#include <QColor>
#include <algorithm>
#include <map>
#include <utility>

namespace kcl::ui {
namespace {

QColor statusColor(const QString &status)
{
    if (status == QLatin1String("OK"))
        return QColor(0xdafbe1);
    if (status == QLatin1String("WARNING"))
        return QColor(0xfff8c5);
    if (status == QLatin1String("ERROR") || status == QLatin1String("STALLED"))
        return QColor(0xffebe9);
    if (status == QLatin1String("STOPPED"))
        return QColor(0xeaeef2);
    return {};
}

QString formatSeconds(double s)
{
    return QLocale().toString(s, 'f', s < 10 ? 1 : 0);
}

} // namespace

ConsumerGroupsModel::ConsumerGroupsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ConsumerGroupsModel::update(const Snapshot &snapshot)
{
    std::map<QString, Row> byId;
    for (const GroupInfo &g : snapshot.groups) {
        Row &r = byId[QString::fromStdString(g.groupId)];
        r.groupId = QString::fromStdString(g.groupId);
        r.members = static_cast<int>(g.members.size());
        for (const MemberInfo &m : g.members)
            r.assignedPartitions += static_cast<int>(m.assignment.size());
        r.consumedPerSec = g.consumedPerSec;
        r.rebalances = g.rebalances;
    }
    if (snapshot.lag) {
        for (const GroupLagReport &g : snapshot.lag->groups) {
            Row &r = byId[QString::fromStdString(g.groupId)];
            r.groupId = QString::fromStdString(g.groupId);
            r.state = QString::fromStdString(g.state);
            r.totalLag = g.totalLag;
            r.maxTimeLagSec = g.maxTimeLagSec;
            r.status = QString::fromLatin1(groupStatusName(g.status));
            r.reason = QString::fromStdString(g.statusReason);
            if (r.members == 0)
                r.members = static_cast<int>(g.members.size());
        }
    }
    std::vector<Row> next;
    next.reserve(byId.size());
    for (auto &[id, r] : byId)
        next.push_back(std::move(r));

    bool sameGroups = next.size() == m_rows.size();
    for (std::size_t i = 0; sameGroups && i < next.size(); ++i)
        sameGroups = next[i].groupId == m_rows[i].groupId;
    if (!sameGroups) {
        beginResetModel();
        m_rows = std::move(next);
        endResetModel();
        return;
    }
    if (m_rows.empty())
        return;
    m_rows = std::move(next);
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ConsumerGroupsModel::rowForGroup(const QString &groupId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].groupId == groupId)
            return static_cast<int>(i);
    return -1;
}

void ConsumerGroupsModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int ConsumerGroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConsumerGroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConsumerGroupsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[static_cast<std::size_t>(index.row())];
    const int c = index.column();
    if (role == RawValueRole) {
        switch (c) {
        case Group: return r.groupId;
        case State: return r.state;
        case Members: return r.members;
        case ConsumedPerSec: return r.consumedPerSec;
        case TotalLag: return r.totalLag;
        case TimeLag: return r.maxTimeLagSec;
        case Status: return r.status;
        case Rebalances: return r.rebalances;
        case Reason: return r.reason;
        }
        return {};
    }
    if (role == Qt::BackgroundRole && c == Status)
        return r.status.isEmpty() ? QVariant() : QVariant(statusColor(r.status));
    if (role == Qt::ToolTipRole && (c == Reason || c == Status))
        return r.reason;
    if (role == Qt::TextAlignmentRole)
        return (c == Members || c == ConsumedPerSec || c == TotalLag || c == TimeLag || c == Rebalances)
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (c) {
    case Group: return r.groupId;
    case State: return r.state.isEmpty() ? QStringLiteral("–") : r.state;
    case Members: return tr("%1 (%2 partitions)").arg(r.members).arg(r.assignedPartitions);
    case ConsumedPerSec: return formatRate(r.consumedPerSec);
    case TotalLag: return r.totalLag < 0 ? QStringLiteral("–") : formatCount(r.totalLag);
    case TimeLag: return r.totalLag < 0 ? QStringLiteral("–") : formatSeconds(r.maxTimeLagSec);
    case Status: return r.status.isEmpty() ? QStringLiteral("–") : r.status;
    case Rebalances: return r.rebalances;
    case Reason: return r.reason;
    }
    return {};
}

QVariant ConsumerGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Group: return tr("Group");
    case State: return tr("State");
    case Members: return tr("Members");
    case ConsumedPerSec: return tr("Consumed/s");
    case TotalLag: return tr("Lag (messages)");
    case TimeLag: return tr("Time lag (s)");
    case Status: return tr("Status");
    case Rebalances: return tr("Rebalances");
    case Reason: return tr("Why");
    }
    return {};
}

PartitionLagModel::PartitionLagModel(QObject *parent) : QAbstractTableModel(parent) {}

void PartitionLagModel::setGroup(const QString &groupId)
{
    if (groupId == m_group)
        return;
    beginResetModel();
    m_group = groupId;
    m_rows.clear();
    endResetModel();
}

void PartitionLagModel::update(const Snapshot &snapshot)
{
    std::vector<PartitionLagRow> next;
    if (snapshot.lag) {
        const std::string id = m_group.toStdString();
        for (const GroupLagReport &g : snapshot.lag->groups)
            if (g.groupId == id)
                next = g.rows;
    }
    bool same = next.size() == m_rows.size();
    for (std::size_t i = 0; same && i < next.size(); ++i)
        same = next[i].topic == m_rows[i].topic && next[i].partition == m_rows[i].partition;
    if (!same) {
        beginResetModel();
        m_rows = std::move(next);
        endResetModel();
        return;
    }
    if (m_rows.empty())
        return;
    // A group's rows (up to one per partition) are freed off the GUI thread (BackgroundReleaser).
    guiReleaser().release(std::make_shared<const decltype(m_rows)>(std::exchange(m_rows, std::move(next))));
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PartitionLagModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int PartitionLagModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PartitionLagModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionLagModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PartitionLagRow &r = m_rows[static_cast<std::size_t>(index.row())];
    const int c = index.column();
    if (role == RawValueRole) {
        switch (c) {
        case Topic: return QString::fromStdString(r.topic);
        case Partition: return r.partition;
        case Owner: return QString::fromStdString(r.clientId);
        case Committed: return r.committed ? QVariant(qint64(*r.committed)) : QVariant();
        case LogEnd: return qint64(r.logEnd);
        case Lag: return r.lag ? QVariant(qint64(*r.lag)) : QVariant();
        case TimeLag: return r.timeLagKnown ? QVariant(r.timeLagSec) : QVariant();
        }
        return {};
    }
    if (role == Qt::ToolTipRole && !r.error.empty())
        return QString::fromStdString(r.error);
    if (role == Qt::ToolTipRole && r.markersOnly && (c == Committed || c == Lag))
        return tr("Read to the end: only transaction markers remain after the committed offset. A consumer commits the "
                  "offset after its last record, and the marker that ends a transaction is never delivered, so this lag stays.");
    if (role == Qt::TextAlignmentRole)
        return (c == Topic || c == Owner) ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (c) {
    case Topic: return QString::fromStdString(r.topic);
    case Partition: return r.partition;
    case Owner: return r.clientId.empty() ? tr("(no owner)") : QString::fromStdString(r.clientId);
    case Committed: return r.committed ? formatCount(*r.committed) : QStringLiteral("–");
    case LogEnd: return r.logEnd < 0 ? QStringLiteral("–") : formatCount(r.logEnd);
    case Lag:
        if (!r.lag)
            return QStringLiteral("–");
        return r.markersOnly ? tr("%1 (markers only)").arg(formatCount(*r.lag)) : formatCount(*r.lag);
    case TimeLag:
        if (!r.timeLagKnown)
            return QStringLiteral("–");
        return (r.timeLagLowerBound ? QStringLiteral("≥ ") : QString()) + formatSeconds(r.timeLagSec);
    }
    return {};
}

QVariant PartitionLagModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Topic: return tr("Topic");
    case Partition: return tr("Partition");
    case Owner: return tr("Owner (member)");
    case Committed: return tr("Committed offset");
    case LogEnd: return tr("End offset");
    case Lag: return tr("Lag");
    case TimeLag: return tr("Time lag (s)");
    }
    return {};
}

} // namespace kcl::ui
