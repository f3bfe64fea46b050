#include "labs/LabSession.h"

#include "pipeline/Pipeline.h"

#include <algorithm>

namespace kcl {
namespace {

QString valueText(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 6) : QStringLiteral("(no value)");
}

bool isEnd(const LabCheck &c) { return c.when == QStringLiteral("end"); }
bool isAlways(const LabCheck &c) { return c.when == QStringLiteral("always"); }
bool isEver(const LabCheck &c) { return c.when == QStringLiteral("ever"); }

} // namespace

LabSession::LabSession(Lab lab, Performer performer) : m_lab(std::move(lab)), m_performer(std::move(performer))
{
    m_progress.labId = m_lab.id.toStdString();
    m_progress.durationSec = m_lab.durationSec;
    for (const LabStep &st : m_lab.steps) {
        LabStepProgress sp;
        sp.atSec = st.atSec;
        sp.text = stepText(st).toStdString();
        sp.page = st.page.toStdString();
        m_progress.steps.push_back(sp);
    }
    for (const LabCheck &c : m_lab.checks) {
        CheckState cs;
        cs.result.check = c;
        cs.result.passed = isAlways(c); // "always" holds until a sample breaks it
        m_checks.push_back(cs);
        LabCheckProgress cp;
        cp.metric = c.metric.toStdString();
        cp.op = c.op.toStdString();
        cp.when = c.when.toStdString();
        cp.expected = c.value;
        cp.fromSec = c.fromSec;
        cp.page = c.page.toStdString();
        m_progress.checks.push_back(cp);
        if (m_progress.page.empty())
            m_progress.page = cp.page; // before any step: where the first check that names a page is seen
    }
}

QString LabSession::performStep(std::size_t i, double t)
{
    LabStepProgress &sp = m_progress.steps[i];
    const QString err = m_performer(m_lab.steps[i]);
    sp.state = err.isEmpty() ? LabStepProgress::State::Done : LabStepProgress::State::Failed;
    sp.error = err.toStdString();
    sp.doneAtSec = t;
    m_progress.currentStep = int(i);
    if (!sp.page.empty())
        m_progress.page = sp.page;
    const QString line = QStringLiteral("t=%1s %2%3").arg(t, 0, 'f', 1).arg(stepText(m_lab.steps[i]),
                                                                            err.isEmpty() ? QString() : QStringLiteral(" FAILED: ") + err);
    m_progress.stepLog.push_back(line.toStdString());
    return line;
}

std::vector<QString> LabSession::performDue(double t)
{
    std::vector<QString> lines;
    if (m_progress.phase != LabProgress::Phase::Running)
        return lines;
    m_progress.elapsedSec = t;
    for (std::size_t i = 0; i < m_lab.steps.size(); ++i) {
        // Steps with a condition wait for a snapshot (observe).
        if (m_progress.steps[i].state != LabStepProgress::State::Pending || m_lab.steps[i].atSec > t || m_lab.steps[i].when)
            continue;
        lines.push_back(performStep(i, t));
    }
    if (t >= m_lab.durationSec) {
        LabStep stopWorkload;
        stopWorkload.action = QStringLiteral("stop-workload");
        m_performer(stopWorkload);
        m_progress.phase = LabProgress::Phase::Draining;
        m_drainStartSec = t;
        for (std::size_t i = 0; i < m_lab.steps.size(); ++i)
            if (m_progress.steps[i].state == LabStepProgress::State::Pending) {
                const QString line = QStringLiteral("not performed: %1 (its condition never held)").arg(stepText(m_lab.steps[i]));
                m_progress.stepLog.push_back(line.toStdString());
                lines.push_back(line);
            }
    }
    return lines;
}

std::vector<QString> LabSession::observe(double t, const Snapshot &s)
{
    std::vector<QString> lines;
    if (over())
        return lines;
    m_progress.elapsedSec = t;
    if (m_progress.phase == LabProgress::Phase::Running) {
        for (std::size_t i = 0; i < m_lab.steps.size(); ++i) {
            const LabStep &st = m_lab.steps[i];
            if (m_progress.steps[i].state != LabStepProgress::State::Pending || !st.when || st.atSec > t)
                continue;
            const auto v = labMetric(s, st.when->metric);
            if (v && compareLab(*v, st.when->op, st.when->value))
                lines.push_back(performStep(i, t) + QStringLiteral(" (%1 = %2)").arg(st.when->metric, valueText(v)));
        }
        for (CheckState &cs : m_checks) {
            const LabCheck &c = cs.result.check;
            if (isEnd(c) || t < c.fromSec || (c.untilSec >= 0 && t > c.untilSec) || cs.decided)
                continue;
            const auto v = labMetric(s, c.metric);
            if (isEver(c) && v && compareLab(*v, c.op, c.value)) {
                cs.decided = true;
                cs.decidedAtSec = t;
                cs.result.passed = true;
                cs.result.value = v;
                cs.result.detail = QStringLiteral("held at t=%1s (value %2)").arg(t, 0, 'f', 1).arg(valueText(v));
            } else if (isAlways(c) && (!v || !compareLab(*v, c.op, c.value))) {
                cs.decided = true;
                cs.decidedAtSec = t;
                cs.result.passed = false;
                cs.result.value = v;
                cs.result.detail = QStringLiteral("broken at t=%1s (value %2)").arg(t, 0, 'f', 1).arg(valueText(v));
            }
        }
    } else if (m_progress.phase == LabProgress::Phase::Draining) {
        if (m_quietAtSec < 0
            && ((s.producedPerSec == 0 && s.notificationsDistinct >= s.mentionsProduced) || t - m_drainStartSec >= kDrainLimitSec))
            m_quietAtSec = t;
        if (m_quietAtSec >= 0 && t - m_quietAtSec >= kSettleSec)
            finish(t, s);
    }
    // Undecided checks show the value they would be judged on now.
    for (std::size_t i = 0; i < m_checks.size(); ++i)
        if (!m_checks[i].decided)
            m_progress.checks[i].value = labMetric(s, m_checks[i].result.check.metric);
    publishChecks();
    return lines;
}

void LabSession::finish(double t, const Snapshot &s)
{
    for (CheckState &cs : m_checks) {
        const LabCheck &c = cs.result.check;
        if (isEnd(c)) {
            cs.result.value = labMetric(s, c.metric);
            cs.result.passed = cs.result.value && compareLab(*cs.result.value, c.op, c.value);
            cs.result.detail = QStringLiteral("value at the end: %1").arg(valueText(cs.result.value));
        } else if (isEver(c) && !cs.decided) {
            cs.result.passed = false;
            cs.result.detail = QStringLiteral("never held during the run");
        } else if (isAlways(c) && !cs.decided) {
            cs.result.passed = true;
            cs.result.detail = QStringLiteral("held on every sample");
        }
        cs.decided = true;
    }
    m_progress.elapsedSec = t;
    m_progress.phase = LabProgress::Phase::Finished;
    m_progress.passed = std::all_of(m_checks.begin(), m_checks.end(), [](const CheckState &c) { return c.result.passed; });
}

void LabSession::stop(const QString &reason)
{
    if (over())
        return;
    m_progress.phase = LabProgress::Phase::Stopped;
    m_progress.passed = false;
    m_progress.error = reason.toStdString();
}

void LabSession::publishChecks()
{
    for (std::size_t i = 0; i < m_checks.size(); ++i) {
        const CheckState &cs = m_checks[i];
        LabCheckProgress &cp = m_progress.checks[i];
        if (!cs.decided)
            continue;
        cp.state = cs.result.passed ? LabCheckProgress::State::Passed : LabCheckProgress::State::Failed;
        cp.value = cs.result.value;
        cp.detail = cs.result.detail.toStdString();
        cp.decidedAtSec = cs.decidedAtSec;
    }
}

LabResult LabSession::result(SnapshotPtr last) const
{
    LabResult r;
    r.labId = m_lab.id;
    r.ran = true;
    r.passed = m_progress.phase == LabProgress::Phase::Finished && m_progress.passed;
    r.error = QString::fromStdString(m_progress.error);
    for (const CheckState &cs : m_checks)
        r.checks.push_back(cs.result);
    for (const std::string &l : m_progress.stepLog)
        r.stepLog.push_back(QString::fromStdString(l));
    r.last = std::move(last);
    return r;
}

LabResult LabSession::resultFrom(const Lab &lab, const LabProgress &p, SnapshotPtr last)
{
    LabResult r;
    r.labId = lab.id;
    r.ran = true;
    r.passed = p.phase == LabProgress::Phase::Finished && p.passed;
    r.error = QString::fromStdString(p.error);
    for (std::size_t i = 0; i < lab.checks.size() && i < p.checks.size(); ++i) {
        CheckResult c;
        c.check = lab.checks[i];
        c.passed = p.checks[i].state == LabCheckProgress::State::Passed;
        c.value = p.checks[i].value;
        c.detail = p.checks[i].state == LabCheckProgress::State::Pending ? QStringLiteral("not decided: the lab was stopped")
                                                                         : QString::fromStdString(p.checks[i].detail);
        r.checks.push_back(c);
    }
    for (const std::string &l : p.stepLog)
        r.stepLog.push_back(QString::fromStdString(l));
    r.last = std::move(last);
    return r;
}

QString LabSession::stepText(const LabStep &st)
{
    QString s = st.action;
    for (const auto &[k, v] : st.params)
        s += QStringLiteral(" %1=%2").arg(k, v);
    if (st.when)
        s += QStringLiteral(" when %1 %2 %3").arg(st.when->metric, st.when->op, QString::number(st.when->value, 'g', 6));
    return s;
}

QString LabSession::checkText(const LabCheck &c)
{
    return QStringLiteral("%1 %2 %3 (%4)").arg(c.metric, c.op, QString::number(c.value, 'g', 6), c.when);
}

QString LabSession::performOn(Pipeline &p, const LabStep &st)
{
    const auto param = [&](const char *k) {
        auto it = st.params.find(QLatin1String(k));
        return it == st.params.end() ? QString() : it->second;
    };
    KafkaError e;
    if (st.action == QStringLiteral("set-rate"))
        p.setWorkloadRate(param("rate").toDouble());
    else if (st.action == QStringLiteral("start-workload"))
        p.setWorkloadRunning(true);
    else if (st.action == QStringLiteral("stop-workload"))
        p.setWorkloadRunning(false);
    else if (st.action == QStringLiteral("set-members"))
        e = p.setGroupMembers(param("group").toStdString(), param("members").toInt());
    else if (st.action == QStringLiteral("slow-consumer")) {
        if (auto *svc = p.service(param("group").toStdString()))
            svc->setProcessingDelayMs(param("delay_ms").toInt());
        else
            return QStringLiteral("group %1 is not running").arg(param("group"));
    } else if (st.action == QStringLiteral("broker-down"))
        e = p.setBrokerUp(param("broker").toInt(), false);
    else if (st.action == QStringLiteral("broker-up"))
        e = p.setBrokerUp(param("broker").toInt(), true);
    else if (st.action == QStringLiteral("reset-offsets"))
        e = p.resetGroupOffsets(param("group").toStdString(), param("to").toStdString());
    else if (st.action == QStringLiteral("set-keyed"))
        p.setWorkloadKeyed(param("keyed") != QStringLiteral("false"));
    else if (st.action == QStringLiteral("inject-poison")) {
        const QString topic = param("topic").isEmpty() ? QStringLiteral("platform.messages.created") : param("topic");
        e = p.injectPoison(topic.toStdString(), param("count").isEmpty() ? 1 : param("count").toInt());
    } else if (st.action == QStringLiteral("replay"))
        e = p.replayState(param("members").isEmpty() ? 1 : param("members").toInt());
    else if (st.action == QStringLiteral("census-state-topic"))
        e = p.censusStateTopic();
    else if (st.action == QStringLiteral("set-readers"))
        e = p.setReaders(param("readers").toInt());
    else if (st.action == QStringLiteral("set-mention-probability") && p.workload())
        p.workload()->setMentionProbability(param("p").toDouble());
    else
        return QStringLiteral("the action %1 cannot be performed here").arg(st.action);
    return e ? QString::fromStdString(e.sentence()) : QString();
}

} // namespace kcl
