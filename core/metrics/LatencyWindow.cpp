#include "metrics/LatencyWindow.h"

#include <algorithm>
#include <cmath>

namespace kcl {

LatencyWindow::LatencyWindow(std::size_t capacity, std::chrono::milliseconds window)
    : m_capacity(capacity), m_window(window)
{
    m_ring.reserve(capacity);
}

std::int64_t LatencyWindow::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void LatencyWindow::add(double latencyMs)
{
    const Sample s{nowMs(), latencyMs};
    std::lock_guard lock(m_mutex);
    if (m_ring.size() < m_capacity)
        m_ring.push_back(s);
    else
        m_ring[m_next] = s;
    m_next = (m_next + 1) % m_capacity;
    ++m_total;
}

void LatencyWindow::addMany(const std::vector<double> &latenciesMs)
{
    if (latenciesMs.empty())
        return;
    const std::int64_t at = nowMs();
    std::lock_guard lock(m_mutex);
    for (const double ms : latenciesMs) {
        const Sample s{at, ms};
        if (m_ring.size() < m_capacity)
            m_ring.push_back(s);
        else
            m_ring[m_next] = s;
        m_next = (m_next + 1) % m_capacity;
    }
    m_total += static_cast<std::int64_t>(latenciesMs.size());
}

LatencySummary LatencyWindow::summary() const
{
    std::vector<double> values;
    const std::int64_t since = nowMs() - m_window.count();
    {
        std::lock_guard lock(m_mutex);
        values.reserve(m_ring.size());
        for (const auto &s : m_ring)
            if (s.atMs >= since)
                values.push_back(s.ms);
    }
    LatencySummary out;
    out.count = static_cast<std::int64_t>(values.size());
    if (values.empty())
        return out;
    std::sort(values.begin(), values.end());
    auto rank = [&](double p) {
        const auto idx = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
        return values[std::clamp<std::size_t>(idx, 1, values.size()) - 1];
    };
    out.p50 = rank(50);
    out.p90 = rank(90);
    out.p99 = rank(99);
    out.max = values.back();
    return out;
}

std::int64_t LatencyWindow::totalCount() const
{
    std::lock_guard lock(m_mutex);
    return m_total;
}

void LatencyWindow::clear()
{
    std::lock_guard lock(m_mutex);
    m_ring.clear();
    m_next = 0;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto idx = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
    return values[std::clamp<std::size_t>(idx, 1, values.size()) - 1];
}

} // namespace kcl
