#pragma once
// Frees large objects the GUI thread lets go of on a thread of its own. A snapshot of 1,000 partitions in 10
// groups holds thousands of rows; freeing one took the GUI thread up to 45 ms (glibc consolidates its small
// free chunks when a large block is freed), which is late for the next frame. The GUI thread hands the last
// reference over here instead and goes on at once.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace kcl::ui {

class BackgroundReleaser {
public:
    BackgroundReleaser();
    ~BackgroundReleaser(); // frees what is still queued, then joins
    BackgroundReleaser(const BackgroundReleaser &) = delete;
    BackgroundReleaser &operator=(const BackgroundReleaser &) = delete;

    // Drops `object` on the releaser's thread (null is ignored). Never blocks beyond a short lock.
    void release(std::shared_ptr<const void> object);
    // Waits until everything handed over so far has been dropped on the releaser's thread (tests).
    void drain();

private:
    void run();
    std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::shared_ptr<const void>> m_queue;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread;
};

// The releaser the GUI thread's objects share (created on first use, lives until the process exits).
BackgroundReleaser &guiReleaser();

} // namespace kcl::ui
