#include "pipeline/SearchRunner.h"

namespace kcl {

SearchRunner::SearchRunner(QString baseUrl, QString index, Callback callback)
    : m_baseUrl(std::move(baseUrl)), m_index(std::move(index)), m_callback(std::move(callback))
{
    m_thread = std::thread([this] { run(); });
}

SearchRunner::~SearchRunner()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void SearchRunner::query(SearchQuery q)
{
    {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(q);
    }
    m_wake.notify_one();
}

void SearchRunner::run()
{
    SearchClient client(m_baseUrl, m_index, 5000); // created on this thread: its network objects live here
    for (;;) {
        SearchQuery q;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || m_pending.has_value(); });
            if (m_stop)
                return;
            q = std::move(*m_pending);
            m_pending.reset();
        }
        const SearchResponse response = client.search(q);
        m_callback(q, response);
    }
}

} // namespace kcl
