#pragma once
// What the GUI thread costs, as a user feels it: how late a 10 ms timer fires on it (event-loop delay) and how much
// CPU the thread itself uses. Header-only; used by tst_main_window (bounds) and kcl-bench-gui (figures).
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <algorithm>
#include <ctime>
#include <vector>

namespace kcl::testing {

// CPU time of the calling thread, in milliseconds.
inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

class LoopProbe : public QObject {
public:
    LoopProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_last.isValid())
                m_delays.push_back(std::max<qint64>(0, m_last.nsecsElapsed() / 1000000 - 10));
            m_last.start();
        });
        m_timer.start();
    }
    // p in 0..1 (1 = max), milliseconds; 0 when nothing was measured.
    qint64 percentile(double p) const
    {
        if (m_delays.empty())
            return 0;
        std::vector<qint64> d = m_delays;
        std::sort(d.begin(), d.end());
        return d[std::min(d.size() - 1, std::size_t(p * double(d.size())))];
    }
    std::size_t samples() const { return m_delays.size(); }
    const std::vector<qint64> &delays() const { return m_delays; }
    void reset()
    {
        m_delays.clear();
        m_last.invalidate();
    }

private:
    QTimer m_timer;
    QElapsedTimer m_last;
    std::vector<qint64> m_delays;
};

} // namespace kcl::testing
