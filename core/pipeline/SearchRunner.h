#pragma once
// Search queries for the GUI's search page, run off the GUI and engine threads: a worker thread of its own owns the
// SearchClient (blocking HTTP, one client per thread) and runs the newest query asked; a query asked while one runs
// replaces any that waits, so typing never queues a backlog. Each answer goes to the callback, on the worker thread.
#include "sinks/SearchClient.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kcl {

class SearchRunner {
public:
    using Callback = std::function<void(const SearchQuery &, const SearchResponse &)>;
    SearchRunner(QString baseUrl, QString index, Callback callback);
    ~SearchRunner(); // the query in flight finishes (bounded by the client's timeout), then the thread ends
    void query(SearchQuery q);

private:
    void run();
    QString m_baseUrl, m_index;
    Callback m_callback;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<SearchQuery> m_pending;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace kcl
