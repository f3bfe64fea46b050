#pragma once
// Where a running lab stands, as an immutable value carried by every Snapshot while a lab runs (and after it,
// until the next one): the elapsed time, each step (pending / done / failed) and each check (pending / passed /
// failed, with its value and why). Built by LabSession on the engine thread; read by the ui and reports.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

struct LabStepProgress {
    enum class State { Pending, Done, Failed };
    State state = State::Pending;
    double atSec = 0;
    std::string text;          // "set-members group=notification-service members=3"
    std::string error;         // why the step failed (Failed only)
    std::string page;          // the page to look at once it is done ("" = none)
    double doneAtSec = -1;     // when it was performed
};

struct LabCheckProgress {
    enum class State { Pending, Passed, Failed };
    State state = State::Pending;
    std::string metric, op, when;
    double expected = 0;
    double fromSec = 0;
    std::optional<double> value; // the latest value seen, or the deciding one once decided
    std::string detail;          // why it passed or failed, in a sentence ("" while pending)
    double decidedAtSec = -1;    // always/ever: when a sample broke or met it; -1 when decided at the end
    std::string page;
};

struct LabProgress {
    enum class Phase { Running, Draining, Finished, Stopped };
    std::string labId;
    std::uint64_t runId = 0;     // the engine's count of labs started: tells a new run of the same lab from the last
    Phase phase = Phase::Running;
    double elapsedSec = 0, durationSec = 0;
    int currentStep = -1;        // index of the step performed last, -1 before the first
    std::string page;            // the page the student should look at now ("" = no advice)
    bool passed = false;         // Finished only: every check passed
    std::string error;           // why the lab could not run or was stopped
    std::vector<LabStepProgress> steps;
    std::vector<LabCheckProgress> checks;
    std::vector<std::string> stepLog; // "t=10.0s set-members group=notification-service members=3"

    bool over() const { return phase == Phase::Finished || phase == Phase::Stopped; }
};

using LabProgressPtr = std::shared_ptr<const LabProgress>;

} // namespace kcl
