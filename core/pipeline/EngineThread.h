#pragma once
// Runs a PipelineEngine on a thread of its own (the engine thread). The owner (the GUI or the headless
// runner) talks to engine() only through queued calls and signals. The destructor stops the engine on its
// thread and waits for it: call it when the app quits, not during a run.
#include "pipeline/PipelineEngine.h"

#include <QThread>

namespace kcl {

class EngineThread {
public:
    explicit EngineThread(PipelineOptions options)
    {
        m_thread.setObjectName(QStringLiteral("kcl-engine"));
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
