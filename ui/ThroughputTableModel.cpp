#include "ThroughputTableModel.h"

#include "Format.h"

namespace kcl::ui {

ThroughputTableModel::ThroughputTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ThroughputTableModel::update(const Snapshot &snapshot)
{
    const std::vector<TopicRates> &next = snapshot.topics;
    bool sameTopics = next.size() == m_rows.size();
    for (std::size_t i = 0; sameTopics && i < next.size(); ++i)
        sameTopics = next[i].topic == m_rows[i].topic;
    if (!sameTopics) {
        // The topic set changed (rare: start, a new cluster): rebuild.
        beginResetModel();
        m_rows = next;
        endResetModel();
        return;
    }
    if (m_rows.empty())
        return;
    m_rows = next;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole, RawValueRole});
}

int ThroughputTableModel::rowForTopic(const QString &topic) const
{
    const std::string t = topic.toStdString();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].topic == t)
            return static_cast<int>(i);
    return -1;
}

void ThroughputTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int ThroughputTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ThroughputTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThroughputTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TopicRates &r = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() == Topic ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == RawValueRole) {
        switch (index.column()) {
        case Topic: return QString::fromStdString(r.topic);
        case Partitions: return r.partitions;
        case InPerSec: return r.msgsInPerSec;
        case OutPerSec: return r.msgsOutPerSec;
        case InBytesPerSec: return r.bytesInPerSec;
        case OutBytesPerSec: return r.bytesOutPerSec;
        case TotalIn: return qint64(r.totalIn);
        case TotalOut: return qint64(r.totalOut);
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Topic: return QString::fromStdString(r.topic);
    case Partitions: return r.partitions;
    case InPerSec: return formatRate(r.msgsInPerSec);
    case OutPerSec: return formatRate(r.msgsOutPerSec);
    case InBytesPerSec: return formatBytesRate(r.bytesInPerSec);
    case OutBytesPerSec: return formatBytesRate(r.bytesOutPerSec);
    case TotalIn: return formatCount(r.totalIn);
    case TotalOut: return formatCount(r.totalOut);
    }
    return {};
}

QVariant ThroughputTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Topic: return tr("Topic");
    case Partitions: return tr("Partitions");
    case InPerSec: return tr("In (msg/s)");
    case OutPerSec: return tr("Out (msg/s)");
    case InBytesPerSec: return tr("In (bytes/s)");
    case OutBytesPerSec: return tr("Out (bytes/s)");
    case TotalIn: return tr("Total in");
    case TotalOut: return tr("Total out");
    }
    return {};
}

} // namespace kcl::ui
