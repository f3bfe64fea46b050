#pragma once
// Runs a lab headless: starts the pipeline on the chosen cluster with the lab's settings, performs its steps at
// their times, evaluates its checks over the live snapshots, and returns whether every check passed.
#include "cluster/ClusterProfile.h"
#include "labs/Lab.h"

#include <QTextStream>
#include <functional>

namespace kcl {

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
    std::vector<QString> stepLog; // "t=10s set-members group=notification-service members=3"
    SnapshotPtr last;
};

class LabRunner {
public:
    // Empty when the cluster offers what the lab needs; otherwise what is missing and how to get it.
    static QString unmetNeeds(const Lab &lab, const ClusterProfile &cluster);
    // progress: one line a second and the step log; language: "en" or "ko" for the explanations.
    static LabResult run(const Lab &lab, const ClusterProfile &cluster, QTextStream &progress,
                         const QString &language = QStringLiteral("en"));
    static QString markdownReport(const Lab &lab, const LabResult &result, const QString &language = QStringLiteral("en"));
};

// `kafka-collab-lab lab --list` and `kafka-collab-lab lab ID [--cluster X] [--report FILE] [--language ko|en]`.
int runLabCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace kcl
