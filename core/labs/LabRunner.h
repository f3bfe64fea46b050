#pragma once
// Runs a lab headless: starts the pipeline on the chosen cluster with the lab's settings and drives a LabSession
// (steps at their times, checks over the live snapshots) in a blocking loop; returns whether every check passed.
#include "cluster/ClusterProfile.h"
#include "labs/Lab.h"
#include "labs/LabSession.h"
#include "pipeline/PipelineEngine.h"

#include <QTextStream>
#include <functional>

namespace kcl {

class LabRunner {
public:
    // Empty when the cluster offers what the lab needs; otherwise what is missing and how to get it.
    static QString unmetNeeds(const Lab &lab, const ClusterProfile &cluster);
    // Whether the local lab stack (ClusterProfile::local()) meets what the lab needs, and how many brokers it needs.
    static bool localStackMeets(const Lab &lab) { return unmetNeeds(lab, ClusterProfile::local()).isEmpty(); }
    static int brokersNeeded(const Lab &lab) { return lab.needs.contains(QStringLiteral("brokers3")) ? 3 : 1; }
    // The pipeline a lab runs on: `base` with the lab's rate, members, mention probability and write mode, the local
    // lab stack's search node when the lab needs search and the cluster names none, and a PostgreSQL schema of its
    // own when the lab asks for one (sql_schema = own).
    static PipelineOptions pipelineOptions(const Lab &lab, const ClusterProfile &cluster, PipelineOptions base = {});
    // progress: one line a second and the step log; language: "en" or "ko" for the explanations.
    static LabResult run(const Lab &lab, const ClusterProfile &cluster, QTextStream &progress,
                         const QString &language = QStringLiteral("en"));
    // images: (caption, file name relative to the report) of the pages' pictures saved beside it.
    static QString markdownReport(const Lab &lab, const LabResult &result, const QString &language = QStringLiteral("en"),
                                  const std::vector<std::pair<QString, QString>> &images = {});
};

// `kafka-collab-lab lab --list` and `kafka-collab-lab lab ID [--cluster X] [--report FILE] [--language ko|en]`.
int runLabCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace kcl
