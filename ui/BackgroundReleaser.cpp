#include "BackgroundReleaser.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace kcl::ui {

BackgroundReleaser::BackgroundReleaser() : m_thread([this] { run(); }) {}

BackgroundReleaser::~BackgroundReleaser()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void BackgroundReleaser::release(std::shared_ptr<const void> object)
{
    if (!object)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(object));
    }
    m_wake.notify_one();
}

void BackgroundReleaser::drain()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_queue.empty() && !m_busy; });
}

void BackgroundReleaser::run()
{
    // Freeing is never urgent: below the GUI thread, like the engine's threads (EngineThread::kEngineNice).
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty() && m_stop)
            return;
        std::deque<std::shared_ptr<const void>> batch;
        batch.swap(m_queue);
        m_busy = true;
        lock.unlock();
        batch.clear(); // the frees happen here, off the GUI thread
        lock.lock();
        m_busy = false;
        if (m_queue.empty())
            m_idle.notify_all();
    }
}

BackgroundReleaser &guiReleaser()
{
    static BackgroundReleaser releaser;
    return releaser;
}

} // namespace kcl::ui
