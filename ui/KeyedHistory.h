#pragma once
// One value per key per second in fixed-size ring buffers (e.g. total lag per consumer group), with the same
// min/max decimation as the throughput history. Memory is bounded: capacity seconds per key, keys as they come.
#include "ThroughputHistory.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <map>

namespace kcl::ui {

class KeyedHistory {
public:
    explicit KeyedHistory(std::size_t capacitySeconds = ThroughputHistory::kDefaultCapacitySec,
                          std::size_t maxKeys = 64);

    // Records value for key at second atSec; a second value within the same second replaces nothing (first wins).
    void add(const QString &key, qint64 atSec, double value);
    QStringList keys() const { return m_order; }
    std::size_t size(const QString &key) const;
    std::size_t capacity() const { return m_capacity; }
    qint64 latestSec() const { return m_lastSec; }
    qint64 oldestSec() const;
    // (x = ms since epoch, y = value) within [fromSec, latest], decimated to at most maxPoints.
    QList<QPointF> points(const QString &key, qint64 fromSec, int maxPoints) const;

private:
    struct Sample {
        qint64 atSec = 0;
        double value = 0;
    };
    std::size_t m_capacity;
    std::size_t m_maxKeys;
    qint64 m_lastSec = -1;
    QStringList m_order;
    std::map<QString, RingBuffer<Sample>> m_series;
};

} // namespace kcl::ui
