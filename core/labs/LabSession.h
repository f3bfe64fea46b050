#pragma once
// The step/check logic of a lab, driven by (elapsed time, snapshot) and used by both the headless runner
// (LabRunner::run, a blocking loop) and the engine (PipelineEngine::runLab, on its snapshot timer):
//   performDue(t)   before the snapshot at t: performs the steps that are due; once the duration is over,
//                   stops the workload so that the end checks see the pipeline after it drained;
//   observe(t, s)   with the snapshot built at t: updates the checks (always/ever from `from` up to `until`, end
//                   at the end) and moves on from draining to finished.
// progress() is the immutable value that goes into the Snapshot; result() the summary for reports.
#include "labs/Lab.h"
#include "labs/LabProgress.h"

#include <functional>
#include <optional>
#include <vector>

namespace kcl {

class Pipeline;

struct CheckResult {
    LabCheck check;
    bool passed = false;
    std::optional<double> value;  // the last value seen (end) or the deciding value (always/ever)
    QString detail;               // why it passed or failed, in a sentence
};

struct LabResult {
    QString labId;
    bool ran = false;             // false when the lab could not run here (see error)
    bool passed = false;
    QString error;
    std::vector<CheckResult> checks;
    std::vector<QString> stepLog; // "t=10.0s set-members group=notification-service members=3"
    SnapshotPtr last;
};

class LabSession {
public:
    // Performs one step (or the "stop-workload" that starts the drain); returns why it failed, or "".
    using Performer = std::function<QString(const LabStep &step)>;

    // After the duration: wait for the pipeline to be quiet (nothing produced, every mention notified) for at
    // most kDrainLimitSec, then kSettleSec more so the lag monitor completes a cycle on that state.
    static constexpr double kDrainLimitSec = 15;
    static constexpr double kSettleSec = 1.2;

    LabSession(Lab lab, Performer performer);

    const Lab &lab() const { return m_lab; }
    void setRunId(std::uint64_t runId) { m_progress.runId = runId; }
    LabProgress::Phase phase() const { return m_progress.phase; }
    bool over() const { return m_progress.over(); }
    bool passed() const { return m_progress.passed; }

    // Returns the step-log lines of the steps performed now.
    std::vector<QString> performDue(double elapsedSec);
    // Judges the checks on a snapshot, and performs the steps whose condition (`when`) holds in it: their step-log lines.
    std::vector<QString> observe(double elapsedSec, const Snapshot &snapshot);
    // Ends the lab before its end (the user pressed Stop, the pipeline went away): undecided checks stay pending.
    void stop(const QString &reason);

    LabProgressPtr progress() const { return std::make_shared<const LabProgress>(m_progress); }
    LabResult result(SnapshotPtr last) const;

    // A result for reports rebuilt from a progress value (the ui only has the progress).
    static LabResult resultFrom(const Lab &lab, const LabProgress &progress, SnapshotPtr last);
    // What the lab-file actions do to a pipeline (see Lab.h).
    static QString performOn(Pipeline &pipeline, const LabStep &step);
    static QString stepText(const LabStep &step);
    static QString checkText(const LabCheck &check); // "metric op value (when)"

private:
    struct CheckState {
        CheckResult result;
        bool decided = false;     // end: at the end; always: when broken or at the end; ever: when held or at the end
        double decidedAtSec = -1;
    };
    void finish(double elapsedSec, const Snapshot &snapshot);
    QString performStep(std::size_t index, double elapsedSec); // its step-log line
    void publishChecks();

    Lab m_lab;
    Performer m_performer;
    LabProgress m_progress;
    std::vector<CheckState> m_checks;
    double m_drainStartSec = -1, m_quietAtSec = -1;
};

} // namespace kcl
