#pragma once
// A lab is a data file under resources/labs/ (*.lab), not code. Format: `key = value` lines grouped in
// sections; `#` starts a comment. Sections: [lab] once, then any number of [step] and [check]:
//
//   [lab]
//   id = rebalance            title.en = ...   title.ko = ...   explain.en = ...   explain.ko = ...
//   needs = embedded          (embedded | real | brokers3 | search | sql, comma separated)
//   duration = 30             (seconds)   rate = 200   members = 1   mention_probability = 0.3
//   write_mode = outbox       (direct | outbox | naive: the CQRS write side, needs sql)
//   sql_schema = own          (shared: the write model in schema kcl; own: a schema of its own for this run,
//                              dropped at its end, so a comparison with the write model sees this run only)
//   workload = held           (running, the default: events from 0 s; held: none until a start-workload step)
//   [step]
//   at = 10                   (seconds from the start)
//   when = lag.notification-service.total > 500   (optional: performed once this holds, not before `at`)
//   action = set-members      group = notification-service   members = 3
//            inject-poison    topic = platform.messages.created   count = 1  (bytes that are not an event)
//            replay           (a new state-rebuilder group replays the message topics from the beginning)
//            set-readers      readers = 2   (searches on the index; in a CQRS write mode also a searchable-delay probe)
//   [check]
//   metric = group.notification-service.rebalances
//   op = >=                   value = 2        when = end | always | ever     from = 5, until = 20 (seconds, optional)
//   explain.en = ...          explain.ko = ...
//   page = throughput | notifications | groups   (optional, in [step] and [check]: the page to look at)
#include "metrics/Snapshot.h"
#include "pipeline/WriteMode.h"

#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kcl {

struct LabText {
    QString en, ko;
    QString in(const QString &language) const { return language == QStringLiteral("ko") && !ko.isEmpty() ? ko : en; }
};

struct LabCondition {
    QString metric;                       // see labMetric()
    QString op;                           // < <= > >= == !=
    double value = 0;
};

struct LabStep {
    double atSec = 0;                     // with `when`: the earliest time the condition is looked at
    std::optional<LabCondition> when;     // performed once the condition holds (at or after atSec)
    QString action;                       // see LabRunner::kActions
    std::map<QString, QString> params;
    QString page;                         // the page to look at once the step is done ("" = no advice)
    int line = 0;
};

struct LabCheck {
    QString metric;                       // see labMetric()
    QString op;                           // < <= > >= == !=
    double value = 0;
    QString when = QStringLiteral("end"); // end | always | ever
    double fromSec = 0;                   // for always/ever: evaluated from this time on
    double untilSec = -1;                 // for always/ever: and up to this time (-1: to the end of the run)
    LabText explain;
    QString page;                         // the page where the student sees what the check measures
    int line = 0;
};

struct Lab {
    QString file;
    QString id;
    LabText title, explain;
    QStringList needs;                    // embedded, real, brokers3, search, sql
    double durationSec = 30;
    double rate = 100;
    int members = 1;
    double mentionProbability = 0.3;
    WriteMode writeMode = WriteMode::Direct;
    bool ownSqlSchema = false;            // sql_schema = own
    bool workloadAtStart = true;          // workload = held: no events until a start-workload step
    std::vector<LabStep> steps;
    std::vector<LabCheck> checks;
};

struct LabError {
    QString file;
    int line = 0;
    QString field;
    QString message;
    QString toString() const; // "file:line: field: message"
};

// Parses one lab file; on failure returns nullopt and fills *error with file, line and field.
std::optional<Lab> parseLab(const QString &text, const QString &fileName, LabError *error);
std::optional<Lab> loadLabFile(const QString &path, LabError *error);
// Loads every *.lab in a directory; bad files are reported in *errors and the rest still load.
std::vector<Lab> loadLabDirectory(const QString &dir, std::vector<LabError> *errors);
QString defaultLabDirectory();           // KCL_LABS_DIR, else the source tree's, else the installed path

// The value of a metric path in a snapshot, or nullopt when the snapshot does not have it (yet).
// Paths: produced_per_s, produced_total, delivery_failures, notifications_total, mentions_produced,
// unnotified_mentions (acknowledged mentions without a notification), duplicate_notifications, notification_latency.p50|p90|p99|max, group.<id>.members|rebalances|consumed_per_s|
// idle_members|owned_once|parse_errors, dead_lettered, search.indexed|deleted|version_conflicts|bulk_failures|
// node_up|..., read.searches|errors|latency.p50|p99|max, searchable.posted|found|waiting|oldest_waiting_ms|
// delay.p50|p99|max, rebuilder.messages|caught_up|differences|..., write.*, outbox.*, naive.*, lag.<id>.total|status|max_time_lag_s|rebalances, broker.<n>.up,
// topic.<name>.in_per_s|out_per_s.  lag.<id>.status: OK=0 WARNING=1 ERROR=2 STALLED=3 STOPPED=4.
std::optional<double> labMetric(const Snapshot &s, const QString &path);
bool compareLab(double actual, const QString &op, double expected);
// The pages a step or check may name with `page =`, as the main window knows them.
QStringList labPages();

} // namespace kcl
