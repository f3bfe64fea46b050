#include "KeyedHistory.h"

#include <algorithm>

namespace kcl::ui {

KeyedHistory::KeyedHistory(std::size_t capacitySeconds, std::size_t maxKeys)
    : m_capacity(std::max<std::size_t>(capacitySeconds, 2)), m_maxKeys(std::max<std::size_t>(maxKeys, 1))
{
}

void KeyedHistory::add(const QString &key, qint64 atSec, double value)
{
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (m_series.size() >= m_maxKeys)
            return; // bounded: more keys than this are not charted
        it = m_series.emplace(key, RingBuffer<Sample>(m_capacity)).first;
        m_order << key;
    }
    RingBuffer<Sample> &ring = it->second;
    if (!ring.empty() && ring.back().atSec >= atSec)
        return;
    ring.push(Sample{atSec, value});
    m_lastSec = std::max(m_lastSec, atSec);
}

std::size_t KeyedHistory::size(const QString &key) const
{
    auto it = m_series.find(key);
    return it == m_series.end() ? 0 : it->second.size();
}

qint64 KeyedHistory::oldestSec() const
{
    qint64 oldest = -1;
    for (const auto &[key, ring] : m_series)
        if (!ring.empty() && (oldest < 0 || ring.at(0).atSec < oldest))
            oldest = ring.at(0).atSec;
    return oldest;
}

QList<QPointF> KeyedHistory::points(const QString &key, qint64 fromSec, int maxPoints) const
{
    QList<QPointF> out;
    auto it = m_series.find(key);
    if (it == m_series.end())
        return out;
    const RingBuffer<Sample> &ring = it->second;
    std::size_t lo = 0, hi = ring.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (ring.at(mid).atSec < fromSec)
            lo = mid + 1;
        else
            hi = mid;
    }
    out.reserve(static_cast<qsizetype>(ring.size() - lo));
    for (std::size_t i = lo; i < ring.size(); ++i)
        out.append(QPointF(double(ring.at(i).atSec) * 1000.0, ring.at(i).value));
    return decimateMinMax(out, maxPoints);
}

} // namespace kcl::ui
