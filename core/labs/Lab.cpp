#include "labs/Lab.h"
#include "cli/WriteSideReport.h"
#include "cli/ServicesReport.h"
#include "events/Topics.h"
#include "install/InstallPaths.h"

#include <QCoreApplication>
#include <algorithm>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace kcl {
namespace {

bool isPlatformTopic(const std::string &name)
{
    for (std::string_view t : topics::kAll)
        if (t == name)
            return true;
    return false;
}

const QStringList kNeeds = {QStringLiteral("embedded"), QStringLiteral("real"), QStringLiteral("brokers3"),
                            QStringLiteral("search"), QStringLiteral("sql")};
const QStringList kOps = {QStringLiteral("<"), QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">="),
                          QStringLiteral("=="), QStringLiteral("!=")};
const QStringList kWhen = {QStringLiteral("end"), QStringLiteral("always"), QStringLiteral("ever")};
const QStringList kActions = {QStringLiteral("set-rate"), QStringLiteral("start-workload"), QStringLiteral("stop-workload"),
                              QStringLiteral("set-members"), QStringLiteral("slow-consumer"), QStringLiteral("broker-down"),
                              QStringLiteral("broker-up"), QStringLiteral("set-mention-probability"),
                              QStringLiteral("reset-offsets"), QStringLiteral("set-keyed"),
                              QStringLiteral("inject-poison"), QStringLiteral("replay"), QStringLiteral("set-readers"),
                              QStringLiteral("census-state-topic")};
const QStringList kPages = {QStringLiteral("throughput"), QStringLiteral("notifications"), QStringLiteral("groups"),
                            QStringLiteral("pipeline"), QStringLiteral("events"), QStringLiteral("overview"),
                            QStringLiteral("search")};

} // namespace

QString LabError::toString() const
{
    return QStringLiteral("%1:%2: %3: %4").arg(file).arg(line).arg(field, message);
}

std::optional<Lab> parseLab(const QString &text, const QString &fileName, LabError *error)
{
    Lab lab;
    lab.file = fileName;
    auto fail = [&](int line, const QString &field, const QString &message) -> std::optional<Lab> {
        if (error)
            *error = LabError{fileName, line, field, message};
        return std::nullopt;
    };
    auto number = [](const QString &v, bool *ok) { return v.trimmed().toDouble(ok); };
    enum class Section { None, Lab, Step, Check } section = Section::None;
    bool sawLab = false;
    int labLine = 0;
    int workloadLine = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int ln = i + 1;
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            if (line == QStringLiteral("[lab]")) {
                if (sawLab)
                    return fail(ln, QStringLiteral("[lab]"), QStringLiteral("the [lab] section appears twice"));
                sawLab = true;
                labLine = ln;
                section = Section::Lab;
            } else if (line == QStringLiteral("[step]")) {
                section = Section::Step;
                lab.steps.push_back(LabStep{});
                lab.steps.back().line = ln;
            } else if (line == QStringLiteral("[check]")) {
                section = Section::Check;
                lab.checks.push_back(LabCheck{});
                lab.checks.back().line = ln;
            } else {
                return fail(ln, line, QStringLiteral("unknown section; use [lab], [step] or [check]"));
            }
            continue;
        }
        const int eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(ln, line.left(30), QStringLiteral("expected 'key = value'"));
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        bool ok = true;
        switch (section) {
        case Section::None:
            return fail(ln, key, QStringLiteral("a value before any section; start with [lab]"));
        case Section::Lab:
            if (key == QStringLiteral("id")) {
                if (value.isEmpty() || value.contains(QLatin1Char(' ')))
                    return fail(ln, key, QStringLiteral("the id must be one word"));
                lab.id = value;
            } else if (key == QStringLiteral("title.en")) lab.title.en = value;
            else if (key == QStringLiteral("title.ko")) lab.title.ko = value;
            else if (key == QStringLiteral("explain.en")) lab.explain.en = value;
            else if (key == QStringLiteral("explain.ko")) lab.explain.ko = value;
            else if (key == QStringLiteral("needs")) {
                for (const QString &n : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                    if (!kNeeds.contains(n.trimmed()))
                        return fail(ln, key, QStringLiteral("unknown need '%1'; use %2").arg(n.trimmed(), kNeeds.join(QStringLiteral(", "))));
                    lab.needs << n.trimmed();
                }
            } else if (key == QStringLiteral("duration")) {
                lab.durationSec = number(value, &ok);
                if (!ok || lab.durationSec < 1 || lab.durationSec > 3600)
                    return fail(ln, key, QStringLiteral("must be a number of seconds from 1 to 3600"));
            } else if (key == QStringLiteral("rate")) {
                lab.rate = number(value, &ok);
                if (!ok || lab.rate < 1)
                    return fail(ln, key, QStringLiteral("must be a number of events per second, at least 1"));
            } else if (key == QStringLiteral("members")) {
                lab.members = value.toInt(&ok);
                if (!ok || lab.members < 0 || lab.members > 64)
                    return fail(ln, key, QStringLiteral("must be a whole number from 0 to 64"));
            } else if (key == QStringLiteral("mention_probability")) {
                lab.mentionProbability = number(value, &ok);
                if (!ok || lab.mentionProbability < 0 || lab.mentionProbability > 1)
                    return fail(ln, key, QStringLiteral("must be from 0 to 1"));
            } else if (key == QStringLiteral("write_mode")) {
                const auto mode = writeModeFromName(value.toStdString());
                if (!mode)
                    return fail(ln, key, QStringLiteral("must be direct, outbox or naive"));
                lab.writeMode = *mode;
            } else if (key == QStringLiteral("sql_schema")) {
                if (value != QStringLiteral("shared") && value != QStringLiteral("own"))
                    return fail(ln, key, QStringLiteral("must be shared or own"));
                lab.ownSqlSchema = value == QStringLiteral("own");
            } else if (key == QStringLiteral("workload")) {
                if (value != QStringLiteral("running") && value != QStringLiteral("held"))
                    return fail(ln, key, QStringLiteral("must be running or held"));
                lab.workloadAtStart = value == QStringLiteral("running");
                workloadLine = ln;
            } else {
                return fail(ln, key, QStringLiteral("unknown field in [lab]"));
            }
            break;
        case Section::Step: {
            LabStep &st = lab.steps.back();
            if (key == QStringLiteral("at")) {
                st.atSec = number(value, &ok);
                if (!ok || st.atSec < 0)
                    return fail(ln, key, QStringLiteral("must be a number of seconds from the start"));
            } else if (key == QStringLiteral("action")) {
                if (!kActions.contains(value))
                    return fail(ln, key, QStringLiteral("unknown action '%1'; use %2").arg(value, kActions.join(QStringLiteral(", "))));
                st.action = value;
            } else if (key == QStringLiteral("page")) {
                if (!kPages.contains(value))
                    return fail(ln, key, QStringLiteral("unknown page '%1'; use %2").arg(value, kPages.join(QStringLiteral(", "))));
                st.page = value;
            } else if (key == QStringLiteral("when")) {
                // "METRIC OP VALUE": the step waits (from `at` on) until the condition holds in a snapshot.
                const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                if (parts.size() != 3)
                    return fail(ln, key, QStringLiteral("write the condition as 'metric op value', e.g. lag.notification-service.total > 500"));
                if (!kOps.contains(parts[1]))
                    return fail(ln, key, QStringLiteral("unknown comparison '%1'; use %2").arg(parts[1], kOps.join(QLatin1Char(' '))));
                LabCondition c;
                c.metric = parts[0];
                c.op = parts[1];
                c.value = number(parts[2], &ok);
                if (!ok)
                    return fail(ln, key, QStringLiteral("'%1' is not a number").arg(parts[2]));
                st.when = c;
            } else {
                st.params[key] = value;
            }
            break;
        }
        case Section::Check: {
            LabCheck &c = lab.checks.back();
            if (key == QStringLiteral("metric")) c.metric = value;
            else if (key == QStringLiteral("op")) {
                if (!kOps.contains(value))
                    return fail(ln, key, QStringLiteral("unknown comparison '%1'; use %2").arg(value, kOps.join(QLatin1Char(' '))));
                c.op = value;
            } else if (key == QStringLiteral("value")) {
                c.value = number(value, &ok);
                if (!ok)
                    return fail(ln, key, QStringLiteral("must be a number"));
            } else if (key == QStringLiteral("when")) {
                if (!kWhen.contains(value))
                    return fail(ln, key, QStringLiteral("use end, always or ever"));
                c.when = value;
            } else if (key == QStringLiteral("from")) {
                c.fromSec = number(value, &ok);
                if (!ok || c.fromSec < 0)
                    return fail(ln, key, QStringLiteral("must be a number of seconds"));
            } else if (key == QStringLiteral("until")) {
                c.untilSec = number(value, &ok);
                if (!ok || c.untilSec < 0)
                    return fail(ln, key, QStringLiteral("must be a number of seconds"));
                if (c.untilSec <= c.fromSec)
                    return fail(ln, key, QStringLiteral("must come after 'from' (%1 s)").arg(c.fromSec));
            } else if (key == QStringLiteral("explain.en")) c.explain.en = value;
            else if (key == QStringLiteral("explain.ko")) c.explain.ko = value;
            else if (key == QStringLiteral("page")) {
                if (!kPages.contains(value))
                    return fail(ln, key, QStringLiteral("unknown page '%1'; use %2").arg(value, kPages.join(QStringLiteral(", "))));
                c.page = value;
            } else
                return fail(ln, key, QStringLiteral("unknown field in [check]"));
            break;
        }
        }
    }
    if (!sawLab)
        return fail(1, QStringLiteral("[lab]"), QStringLiteral("the file has no [lab] section"));
    const std::vector<std::pair<QString, bool>> required = {
        {QStringLiteral("id"), !lab.id.isEmpty()},           {QStringLiteral("title.en"), !lab.title.en.isEmpty()},
        {QStringLiteral("title.ko"), !lab.title.ko.isEmpty()}, {QStringLiteral("explain.en"), !lab.explain.en.isEmpty()},
        {QStringLiteral("explain.ko"), !lab.explain.ko.isEmpty()}, {QStringLiteral("needs"), !lab.needs.isEmpty()}};
    for (const auto &[field, present] : required)
        if (!present)
            return fail(labLine, field, QStringLiteral("missing in [lab]"));
    for (const auto &st : lab.steps) {
        if (st.action.isEmpty())
            return fail(st.line, QStringLiteral("action"), QStringLiteral("missing in [step]"));
        if (st.atSec > lab.durationSec)
            return fail(st.line, QStringLiteral("at"), QStringLiteral("after the end of the lab (duration %1 s)").arg(lab.durationSec));
        auto need = [&](const QString &p) { return st.params.count(p) ? QString() : p; };
        QString missing;
        if (st.action == QStringLiteral("set-rate")) missing = need(QStringLiteral("rate"));
        else if (st.action == QStringLiteral("set-members")) missing = !need(QStringLiteral("group")).isEmpty() ? QStringLiteral("group") : need(QStringLiteral("members"));
        else if (st.action == QStringLiteral("slow-consumer")) missing = !need(QStringLiteral("group")).isEmpty() ? QStringLiteral("group") : need(QStringLiteral("delay_ms"));
        else if (st.action == QStringLiteral("broker-down") || st.action == QStringLiteral("broker-up")) missing = need(QStringLiteral("broker"));
        else if (st.action == QStringLiteral("set-mention-probability")) missing = need(QStringLiteral("p"));
        else if (st.action == QStringLiteral("reset-offsets")) missing = !need(QStringLiteral("group")).isEmpty() ? QStringLiteral("group") : need(QStringLiteral("to"));
        else if (st.action == QStringLiteral("set-keyed")) missing = need(QStringLiteral("keyed"));
        else if (st.action == QStringLiteral("set-readers")) missing = need(QStringLiteral("readers"));
        if (st.action == QStringLiteral("inject-poison") && st.params.count(QStringLiteral("count"))) {
            bool ok = false;
            const int n = st.params.at(QStringLiteral("count")).toInt(&ok);
            if (!ok || n < 1 || n > 1000)
                return fail(st.line, QStringLiteral("count"), QStringLiteral("must be a whole number from 1 to 1000"));
        }
        if (st.action == QStringLiteral("inject-poison") && st.params.count(QStringLiteral("topic"))
            && !isPlatformTopic(st.params.at(QStringLiteral("topic")).toStdString()))
            return fail(st.line, QStringLiteral("topic"), QStringLiteral("must be one of the guide's topics"));
        if (st.action == QStringLiteral("reset-offsets") && missing.isEmpty() && st.params.at(QStringLiteral("to")) != QStringLiteral("earliest") &&
            st.params.at(QStringLiteral("to")) != QStringLiteral("latest"))
            return fail(st.line, QStringLiteral("to"), QStringLiteral("an offset reset goes to 'earliest' or 'latest'"));
        if (!missing.isEmpty())
            return fail(st.line, missing, QStringLiteral("the action %1 needs '%2'").arg(st.action, missing));
    }
    if (!lab.workloadAtStart && std::none_of(lab.steps.begin(), lab.steps.end(), [](const LabStep &st) {
            return st.action == QStringLiteral("start-workload");
        }))
        return fail(workloadLine, QStringLiteral("workload"), QStringLiteral("a held workload needs a start-workload step"));
    if (lab.checks.empty())
        return fail(labLine, QStringLiteral("[check]"), QStringLiteral("a lab needs at least one check"));
    for (const auto &c : lab.checks) {
        if (c.metric.isEmpty())
            return fail(c.line, QStringLiteral("metric"), QStringLiteral("missing in [check]"));
        if (c.op.isEmpty())
            return fail(c.line, QStringLiteral("op"), QStringLiteral("missing in [check]"));
        if (c.explain.en.isEmpty() || c.explain.ko.isEmpty())
            return fail(c.line, c.explain.en.isEmpty() ? QStringLiteral("explain.en") : QStringLiteral("explain.ko"),
                        QStringLiteral("every check explains what the student should see, in English and Korean"));
    }
    return lab;
}

std::optional<Lab> loadLabFile(const QString &path, LabError *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = LabError{path, 0, QString(), f.errorString()};
        return std::nullopt;
    }
    return parseLab(QString::fromUtf8(f.readAll()), path, error);
}

std::vector<Lab> loadLabDirectory(const QString &dir, std::vector<LabError> *errors)
{
    std::vector<Lab> labs;
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.lab")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        LabError e;
        if (auto lab = loadLabFile(QDir(dir).filePath(name), &e))
            labs.push_back(std::move(*lab));
        else if (errors)
            errors->push_back(e);
    }
    return labs;
}

QString defaultLabDirectory()
{
    if (const QString env = qEnvironmentVariable("KCL_LABS_DIR"); !env.isEmpty())
        return env;
    return resourcePath(QStringLiteral("labs")); // installed copy first, else the source tree
}

bool compareLab(double a, const QString &op, double b)
{
    if (op == QStringLiteral("<")) return a < b;
    if (op == QStringLiteral("<=")) return a <= b;
    if (op == QStringLiteral(">")) return a > b;
    if (op == QStringLiteral(">=")) return a >= b;
    if (op == QStringLiteral("==")) return a == b;
    if (op == QStringLiteral("!=")) return a != b;
    return false;
}

std::optional<double> labMetric(const Snapshot &s, const QString &path)
{
    if (auto v = serviceMetric(s.services, path)) // archive.*, analytics.*, rebuilder.*
        return v;
    const QStringList p = path.split(QLatin1Char('.'));
    const QString head = p.value(0);
    if (p.size() == 1) {
        if (head == QStringLiteral("produced_per_s")) return s.producedPerSec;
        if (head == QStringLiteral("produced_total")) return double(s.producedTotal);
        if (head == QStringLiteral("delivery_failures")) return double(s.deliveryFailures);
        if (head == QStringLiteral("notifications_total")) return double(s.notificationsTotal);
        if (head == QStringLiteral("mentions_produced")) return double(s.mentionsProduced);
        // Distinct notifications: a repeat after a rebalance (at-least-once) must not hide a lost one.
        if (head == QStringLiteral("unnotified_mentions")) return double(s.mentionsProduced - s.notificationsDistinct);
        if (head == QStringLiteral("duplicate_notifications")) return double(s.notificationDuplicates);
        if (head == QStringLiteral("dead_lettered")) return double(s.deadLettered);
        if (head == QStringLiteral("order_violations")) return double(s.orderViolations);
        if (head == QStringLiteral("offset_resets")) return double(s.offsetResets);
        return std::nullopt;
    }
    if (head == QStringLiteral("search") && p.size() == 2 && s.search.running) { // the search indexer
        const auto &x = s.search;
        const QString &f = p[1];
        if (f == QStringLiteral("indexed")) return double(x.indexed);
        if (f == QStringLiteral("deleted")) return double(x.deleted);
        if (f == QStringLiteral("version_conflicts")) return double(x.versionConflicts);
        if (f == QStringLiteral("bulk_requests")) return double(x.bulkRequests);
        if (f == QStringLiteral("bulk_failures")) return double(x.bulkFailures);
        if (f == QStringLiteral("retries")) return double(x.retries);
        if (f == QStringLiteral("dead_lettered")) return double(x.deadLettered);
        if (f == QStringLiteral("buffered")) return double(x.buffered);
        if (f == QStringLiteral("node_up") && x.nodeUp != kSearchNodeUnknown) return x.nodeUp == kSearchNodeUp ? 1.0 : 0.0;
        if (f == QStringLiteral("bulk_p99") && x.bulkLatencySamples > 0) return x.bulkP99Ms;
        return std::nullopt;
    }
    if ((head == QStringLiteral("read") || head == QStringLiteral("searchable")) && s.readLoad.running) {
        const ReadLoadStats &r = s.readLoad;
        const QString f = p.mid(1).join(QLatin1Char('.'));
        const auto pick = [&](const LatencySummary &l, const QString &which) -> std::optional<double> {
            if (l.count == 0) return std::nullopt;
            if (which == QStringLiteral("p50")) return l.p50;
            if (which == QStringLiteral("p99")) return l.p99;
            if (which == QStringLiteral("max")) return l.max;
            return std::nullopt;
        };
        if (head == QStringLiteral("read")) {
            if (f == QStringLiteral("searches")) return double(r.searches);
            if (f == QStringLiteral("errors")) return double(r.searchErrors);
            if (p.size() == 3 && p[1] == QStringLiteral("latency")) return pick(r.searchLatency, p[2]);
        } else {
            if (f == QStringLiteral("posted")) return double(r.probesPosted);
            if (f == QStringLiteral("found")) return double(r.probesFound);
            if (f == QStringLiteral("waiting")) return double(r.probesWaiting);
            if (f == QStringLiteral("oldest_waiting_ms")) return double(r.oldestWaitingMs);
            if (p.size() == 3 && p[1] == QStringLiteral("delay")) return pick(r.searchableDelay, p[2]);
        }
        return std::nullopt;
    }
    if (head == QStringLiteral("notification_latency") && p.size() == 2) {
        const auto &l = s.notificationLatency;
        if (l.count == 0) return std::nullopt;
        if (p[1] == QStringLiteral("p50")) return l.p50;
        if (p[1] == QStringLiteral("p90")) return l.p90;
        if (p[1] == QStringLiteral("p99")) return l.p99;
        if (p[1] == QStringLiteral("max")) return l.max;
        return std::nullopt;
    }
    if (auto v = writeSideMetric(s.writeSide, path)) // write.*, outbox.*, naive.*
        return v;
    // group.<id>.<field> and lag.<id>.<field>: group ids may contain dots, so the field is the last part.
    const QString field = p.last();
    const std::string id = p.mid(1, p.size() - 2).join(QLatin1Char('.')).toStdString();
    if (head == QStringLiteral("group")) {
        for (const auto &g : s.groups) {
            if (g.groupId != id)
                continue;
            if (field == QStringLiteral("members")) return double(g.members.size());
            if (field == QStringLiteral("rebalances")) return double(g.rebalances);
            if (field == QStringLiteral("consumed_per_s")) return g.consumedPerSec;
            if (field == QStringLiteral("parse_errors")) return double(g.parseErrors);
            if (field == QStringLiteral("assigned_members")) // members that own at least one partition
                return double(std::count_if(g.members.begin(), g.members.end(),
                                            [](const MemberInfo &m) { return !m.assignment.empty(); }));
            if (field == QStringLiteral("idle_members")) {
                int idle = 0;
                for (const auto &m : g.members)
                    idle += (m.joined && m.assignment.empty()) ? 1 : 0;
                return double(idle);
            }
            if (field == QStringLiteral("owned_once")) {
                // 1 when every partition of the group's topics is owned by exactly one member.
                std::map<TopicPartitionRef, int> owners;
                for (const auto &m : g.members)
                    for (const auto &tp : m.assignment)
                        ++owners[tp];
                int expected = 0;
                for (const auto &t : s.topics)
                    for (const auto &[tp, n] : owners)
                        if (tp.topic == t.topic) { expected = t.partitions; break; }
                bool once = !owners.empty() && int(owners.size()) == expected;
                for (const auto &[tp, n] : owners)
                    once = once && n == 1;
                return once ? 1.0 : 0.0;
            }
        }
        return std::nullopt;
    }
    if (head == QStringLiteral("lag")) {
        if (!s.lag) return std::nullopt;
        for (const auto &g : s.lag->groups) {
            if (g.groupId != id)
                continue;
            if (field == QStringLiteral("total")) return double(g.totalLag);
            if (field == QStringLiteral("status")) return double(static_cast<int>(g.status));
            if (field == QStringLiteral("max_time_lag_s")) return g.maxTimeLagSec;
            if (field == QStringLiteral("rebalances")) return double(g.rebalances);
        }
        return std::nullopt;
    }
    if (head == QStringLiteral("broker") && p.size() == 3 && p[2] == QStringLiteral("up")) {
        for (const auto &b : s.brokers)
            if (b.id == p[1].toInt())
                return b.up ? 1.0 : 0.0;
        return std::nullopt;
    }
    if (head == QStringLiteral("topic")) {
        for (const auto &t : s.topics) {
            if (t.topic != id)
                continue;
            if (field == QStringLiteral("in_per_s")) return t.msgsInPerSec;
            if (field == QStringLiteral("out_per_s")) return t.msgsOutPerSec;
        }
    }
    return std::nullopt;
}

QStringList labPages()
{
    return kPages;
}

} // namespace kcl
