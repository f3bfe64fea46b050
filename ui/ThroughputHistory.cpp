#include "ThroughputHistory.h"

#include <algorithm>

namespace kcl::ui {

ThroughputHistory::ThroughputHistory(std::size_t capacitySeconds) : m_capacity(std::max<std::size_t>(capacitySeconds, 2))
{
}

bool ThroughputHistory::add(const Snapshot &snapshot)
{
    const qint64 sec = snapshot.atMs / 1000;
    if (sec <= m_lastSec)
        return false;
    m_lastSec = sec;
    for (const TopicRates &t : snapshot.topics) {
        const QString name = QString::fromStdString(t.topic);
        auto it = m_series.find(name);
        if (it == m_series.end()) {
            it = m_series.emplace(name, RingBuffer<ThroughputSample>(m_capacity)).first;
            m_order << name;
        }
        it->second.push(ThroughputSample{sec, t.msgsInPerSec, t.msgsOutPerSec});
    }
    return true;
}

std::size_t ThroughputHistory::size(const QString &topic) const
{
    auto it = m_series.find(topic);
    return it == m_series.end() ? 0 : it->second.size();
}

QList<QPointF> ThroughputHistory::points(const QString &topic, Direction direction, qint64 fromSec, int maxPoints) const
{
    QList<QPointF> out;
    auto it = m_series.find(topic);
    if (it == m_series.end())
        return out;
    const RingBuffer<ThroughputSample> &ring = it->second;
    // Samples are in time order: find the first inside the window by binary search.
    std::size_t lo = 0, hi = ring.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (ring.at(mid).atSec < fromSec)
            lo = mid + 1;
        else
            hi = mid;
    }
    out.reserve(static_cast<qsizetype>(ring.size() - lo));
    for (std::size_t i = lo; i < ring.size(); ++i) {
        const ThroughputSample &s = ring.at(i);
        out.append(QPointF(double(s.atSec) * 1000.0, direction == Direction::In ? s.inPerSec : s.outPerSec));
    }
    return decimateMinMax(out, maxPoints);
}

qint64 ThroughputHistory::oldestSec() const
{
    qint64 oldest = -1;
    for (const auto &[topic, ring] : m_series)
        if (!ring.empty() && (oldest < 0 || ring.at(0).atSec < oldest))
            oldest = ring.at(0).atSec;
    return oldest;
}

void ThroughputHistory::clear()
{
    m_series.clear();
    m_order.clear();
    m_lastSec = -1;
}

QList<QPointF> decimateMinMax(const QList<QPointF> &points, int maxPoints)
{
    if (maxPoints < 2)
        maxPoints = 2;
    if (points.size() <= maxPoints)
        return points;
    const qsizetype buckets = maxPoints / 2;
    QList<QPointF> out;
    out.reserve(buckets * 2);
    const qsizetype n = points.size();
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = b * n / buckets;
        const qsizetype end = (b + 1) * n / buckets;
        if (begin >= end)
            continue;
        qsizetype minI = begin, maxI = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (points[i].y() < points[minI].y())
                minI = i;
            if (points[i].y() > points[maxI].y())
                maxI = i;
        }
        if (minI == maxI) {
            out.append(points[minI]);
        } else {
            out.append(points[std::min(minI, maxI)]);
            out.append(points[std::max(minI, maxI)]);
        }
    }
    return out;
}

} // namespace kcl::ui
