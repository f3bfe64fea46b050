#pragma once
// Consumer groups as tables: one row per group (members, lag, time lag, status and its reason), and, for a
// chosen group, one row per partition (owner, committed and end offsets, lag). Both come from the snapshot:
// membership and rates from the groups the app runs (Snapshot::groups), offsets, lag and status from the lag
// monitor's latest cycle (Snapshot::lag), which asks the cluster itself. Rows change only when the set of
// groups or partitions changes; otherwise one dataChanged per refresh.
#include "metrics/Snapshot.h"

#include <QAbstractTableModel>
#include <vector>

namespace kcl::ui {

class ConsumerGroupsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Group, State, Members, ConsumedPerSec, TotalLag, TimeLag, Status, Rebalances, Reason, ColumnCount };
    static constexpr int RawValueRole = Qt::UserRole + 1;

    struct Row {
        QString groupId;
        QString state;          // from the monitor ("Stable", ...), "" when unknown
        int members = 0;
        int assignedPartitions = 0;
        double consumedPerSec = 0;
        qint64 totalLag = -1;   // -1: not measured yet
        double maxTimeLagSec = 0;
        QString status;         // "OK", "WARNING", "ERROR", "STALLED", "STOPPED", "" when unknown
        QString reason;
        int rebalances = 0;
    };

    explicit ConsumerGroupsModel(QObject *parent = nullptr);
    void update(const Snapshot &snapshot);
    const Row &row(int r) const { return m_rows.at(static_cast<std::size_t>(r)); }
    int rowForGroup(const QString &groupId) const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Row> m_rows; // sorted by group id
};

class PartitionLagModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partition, Owner, Committed, LogEnd, Lag, TimeLag, ColumnCount };
    static constexpr int RawValueRole = Qt::UserRole + 1;

    explicit PartitionLagModel(QObject *parent = nullptr);
    void setGroup(const QString &groupId);
    QString group() const { return m_group; }
    void update(const Snapshot &snapshot);
    const PartitionLagRow &partitionRow(int r) const { return m_rows.at(static_cast<std::size_t>(r)); }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_group;
    std::vector<PartitionLagRow> m_rows;
};

} // namespace kcl::ui
