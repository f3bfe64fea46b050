#pragma once
// The numbers under the throughput chart: one row per topic, refreshed from the newest snapshot. Rows only
// change when the topic set changes; otherwise one dataChanged covers the whole table per refresh.
#include "metrics/Snapshot.h"

#include <QAbstractTableModel>
#include <vector>

namespace kcl::ui {

class ThroughputTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partitions, InPerSec, OutPerSec, InBytesPerSec, OutBytesPerSec, TotalIn, TotalOut, ColumnCount };
    static constexpr int RawValueRole = Qt::UserRole + 1; // numbers as numbers (sorting, tests)

    explicit ThroughputTableModel(QObject *parent = nullptr);

    void update(const Snapshot &snapshot);
    const TopicRates &rates(int row) const { return m_rows.at(static_cast<std::size_t>(row)); }
    int rowForTopic(const QString &topic) const;
    void retranslate(); // header texts changed language

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<TopicRates> m_rows;
};

} // namespace kcl::ui
