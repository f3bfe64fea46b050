#pragma once
// Per-topic throughput history at 1 s resolution in fixed-size ring buffers (memory after an hour equals memory
// after a minute), plus the decimation that turns a window of it into about one point per pixel while keeping
// each bucket's minimum and maximum (so spikes and dips stay visible).
#include "metrics/RingBuffer.h"
#include "metrics/Snapshot.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <map>

namespace kcl::ui {

struct ThroughputSample {
    qint64 atSec = 0;          // wall-clock second (ms since epoch / 1000)
    double inPerSec = 0;       // messages in (produced, acknowledged)
    double outPerSec = 0;      // messages out (consumed by our group members)
};

class ThroughputHistory {
public:
    static constexpr std::size_t kDefaultCapacitySec = 3600; // one hour at 1 s

    explicit ThroughputHistory(std::size_t capacitySeconds = kDefaultCapacitySec);

    // Takes the first snapshot of each wall-clock second (the engine's rates are already averaged over the last
    // second). Returns true when a sample was added.
    bool add(const Snapshot &snapshot);

    QStringList topics() const { return m_order; }
    std::size_t capacity() const { return m_capacity; }
    std::size_t size(const QString &topic) const;
    qint64 latestSec() const { return m_lastSec; }
    qint64 oldestSec() const; // the oldest second any topic still holds (-1 when empty)

    enum class Direction { In, Out };
    // The samples of one topic within [fromSec, latestSec], as (x = ms since epoch, y = messages/s),
    // decimated to at most maxPoints.
    QList<QPointF> points(const QString &topic, Direction direction, qint64 fromSec, int maxPoints) const;

    void clear();

private:
    std::size_t m_capacity;
    qint64 m_lastSec = -1;
    QStringList m_order;                                    // topics in order of first appearance
    std::map<QString, RingBuffer<ThroughputSample>> m_series;
};

// Reduces points (sorted by x) to at most maxPoints: equal-width buckets over the points, each emitting its
// minimum and maximum in x order (one point when they coincide). Points at or under maxPoints pass unchanged.
QList<QPointF> decimateMinMax(const QList<QPointF> &points, int maxPoints);

} // namespace kcl::ui
