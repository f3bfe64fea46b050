#pragma once
// Runs a PipelineEngine on a thread of its own (the engine thread). The owner (the GUI or the headless
// runner) talks to engine() only through queued calls and signals. The destructor stops the engine on its
// thread and waits for it: call it when the app quits, not during a run.
#include "pipeline/PipelineEngine.h"

#include <QThread>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace kcl {

class EngineThread {
public:
    static constexpr int kEngineNice = 10; // relative to the process's own
    explicit EngineThread(PipelineOptions options)
    {
        m_thread.setObjectName(QStringLiteral("kcl-engine"));
        // The engine thread and every thread it creates (workload, group members, lag monitor, librdkafka's own
        // threads inherit it) run at a lower priority than the GUI thread: at the cluster's maximum rate they use
        // every core, and the window must still answer at once. Linux: a thread's nice value, set on itself.
        QObject::connect(&m_thread, &QThread::started, [] {
            setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kEngineNice);
        });
        m_engine = new PipelineEngine(std::move(options));
        m_engine->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
        m_thread.start();
    }
    ~EngineThread()
    {
        QMetaObject::invokeMethod(m_engine, &PipelineEngine::stop, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    EngineThread(const EngineThread &) = delete;
    EngineThread &operator=(const EngineThread &) = delete;

    PipelineEngine *engine() const { return m_engine; }
    void start() { QMetaObject::invokeMethod(m_engine, &PipelineEngine::start, Qt::QueuedConnection); }

private:
    QThread m_thread;
    PipelineEngine *m_engine = nullptr;
};

} // namespace kcl
