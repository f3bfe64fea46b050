#include "PipelinePage.h"

#include "EngineClient.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace kcl::ui {
namespace {
constexpr int kMaxMembers = 12;
constexpr int kEditHoldMs = 3000; // how long a user's edit wins over the snapshots that do not show it yet
} // namespace

PipelinePage::PipelinePage(EngineClient *engine, QWidget *parent) : DashboardPage(parent), m_engine(engine)
{
    auto *layout = new QVBoxLayout(this);
    m_servicesBox = new QGroupBox(this);
    m_servicesGrid = new QGridLayout(m_servicesBox);
    for (int c = 0; c < 6; ++c) {
        m_headers[c] = new QLabel(m_servicesBox);
        m_headers[c]->setStyleSheet(QStringLiteral("font-weight: bold"));
    }
    m_servicesGrid->addWidget(m_headers[0], 0, 0);
    m_servicesGrid->addWidget(m_headers[1], 0, 1, 1, 3);
    m_servicesGrid->addWidget(m_headers[2], 0, 4);
    m_servicesGrid->addWidget(m_headers[3], 0, 5);
    m_servicesGrid->addWidget(m_headers[4], 0, 6);
    m_servicesGrid->addWidget(m_headers[5], 0, 7);
    m_servicesGrid->setColumnStretch(7, 1);
    layout->addWidget(m_servicesBox);

    m_brokersBox = new QGroupBox(this);
    auto *brokersLayout = new QVBoxLayout(m_brokersBox);
    m_brokersGrid = new QGridLayout;
    brokersLayout->addLayout(m_brokersGrid);
    m_brokersNote = new QLabel(m_brokersBox);
    m_brokersNote->setWordWrap(true);
    brokersLayout->addWidget(m_brokersNote);
    layout->addWidget(m_brokersBox);

    m_workloadBox = new QGroupBox(this);
    auto *workloadLayout = new QVBoxLayout(m_workloadBox);
    m_keyed = new QCheckBox(m_workloadBox);
    m_keyed->setObjectName(QStringLiteral("keyedByChannel"));
    m_keyed->setChecked(true);
    workloadLayout->addWidget(m_keyed);
    auto *actions = new QHBoxLayout;
    m_poison = new QPushButton(m_workloadBox);
    m_poison->setObjectName(QStringLiteral("injectPoison"));
    m_replay = new QPushButton(m_workloadBox);
    m_replay->setObjectName(QStringLiteral("replayState"));
    actions->addWidget(m_poison);
    actions->addWidget(m_replay);
    actions->addStretch(1);
    workloadLayout->addLayout(actions);
    layout->addWidget(m_workloadBox);
    connect(m_poison, &QPushButton::clicked, this, [this] { m_engine->injectPoison(QStringLiteral("platform.messages.created"), 1); });
    connect(m_replay, &QPushButton::clicked, this, [this] { m_engine->replayState(); });
    layout->addStretch(1);
    connect(m_keyed, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_updating)
            requestKeyed(on);
    });
    retranslateUi();
}

QString PipelinePage::title() const { return tr("Pipeline"); }

void PipelinePage::ensureRows(const std::vector<std::string> &services)
{
    for (const auto &s : services) {
        const QString name = QString::fromStdString(s);
        if (m_rows.count(name))
            continue;
        const int r = static_cast<int>(m_order.size()) + 1;
        ServiceRow row;
        row.name = new QLabel(name, m_servicesBox);
        row.minus = new QToolButton(m_servicesBox);
        row.minus->setText(QStringLiteral("−"));
        row.members = new QLabel(QStringLiteral("0"), m_servicesBox);
        row.members->setAlignment(Qt::AlignCenter);
        row.members->setMinimumWidth(28);
        row.plus = new QToolButton(m_servicesBox);
        row.plus->setText(QStringLiteral("+"));
        row.startStop = new QPushButton(m_servicesBox);
        row.delay = new QSpinBox(m_servicesBox);
        row.delay->setRange(0, 1000);
        row.delay->setSingleStep(5);
        row.delay->setEnabled(false);
        row.reset = new QPushButton(m_servicesBox);
        row.reset->setEnabled(false);
        row.status = new QLabel(m_servicesBox);
        row.status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Wrapped: a label's changing figures must never change the window's minimum width (each change would
        // re-layout the whole window and resize it on small screens).
        row.status->setWordWrap(true);
        row.minus->setObjectName(name + QStringLiteral(".minus"));
        row.plus->setObjectName(name + QStringLiteral(".plus"));
        row.startStop->setObjectName(name + QStringLiteral(".startStop"));
        row.delay->setObjectName(name + QStringLiteral(".delay"));
        row.reset->setObjectName(name + QStringLiteral(".reset"));
        m_servicesGrid->addWidget(row.name, r, 0);
        m_servicesGrid->addWidget(row.minus, r, 1);
        m_servicesGrid->addWidget(row.members, r, 2);
        m_servicesGrid->addWidget(row.plus, r, 3);
        m_servicesGrid->addWidget(row.startStop, r, 4);
        m_servicesGrid->addWidget(row.delay, r, 5);
        m_servicesGrid->addWidget(row.reset, r, 6);
        m_servicesGrid->addWidget(row.status, r, 7);
        connect(row.minus, &QToolButton::clicked, this, [this, name] { requestMembers(name, m_rows[name].requestedMembers - 1); });
        connect(row.plus, &QToolButton::clicked, this, [this, name] { requestMembers(name, m_rows[name].requestedMembers + 1); });
        connect(row.startStop, &QPushButton::clicked, this,
                [this, name] { requestMembers(name, m_rows[name].requestedMembers > 0 ? 0 : 1); });
        connect(row.delay, &QSpinBox::valueChanged, this, [this, name](int ms) {
            if (!m_updating)
                requestDelay(name, ms);
        });
        connect(row.reset, &QPushButton::clicked, this, [this, name] { requestReset(name); });
        m_rows.emplace(name, row);
        m_order << name;
        updateRow(m_rows[name]);
    }
    retranslateUi();
}

void PipelinePage::ensureBrokers(const std::vector<BrokerState> &brokers)
{
    for (const auto &b : brokers) {
        if (m_brokers.count(b.id))
            continue;
        auto *box = new QCheckBox(m_brokersBox);
        box->setObjectName(QStringLiteral("broker.%1").arg(b.id));
        const int i = static_cast<int>(m_brokers.size());
        m_brokersGrid->addWidget(box, 0, i);
        connect(box, &QCheckBox::toggled, this, [this, id = b.id](bool on) {
            if (!m_updating)
                requestBrokerUp(id, on);
        });
        m_brokers.emplace(b.id, box);
    }
    retranslateUi();
}

void PipelinePage::applySnapshot(const Snapshot &s)
{
    m_updating = true;
    ensureRows(s.availableServices);
    ensureBrokers(s.brokers);
    m_embedded = s.clusterDescription.rfind("embedded", 0) == 0;
    for (auto &[name, row] : m_rows) {
        const GroupInfo *g = nullptr;
        for (const auto &gi : s.groups)
            if (QString::fromStdString(gi.service) == name)
                g = &gi;
        row.runningMembers = g ? static_cast<int>(g->members.size()) : 0;
        const bool editing = row.lastEdit.isValid() && row.lastEdit.elapsed() < kEditHoldMs;
        if (!editing) {
            row.requestedMembers = row.runningMembers;
            if (g && !row.delay->hasFocus())
                row.delay->setValue(g->processingDelayMs);
        }
        if (g && !g->members.empty()) {
            int owning = 0;
            for (const auto &m : g->members)
                owning += m.assignment.empty() ? 0 : 1;
            QString text = tr("%1 records/s · %2 handled · %3 with partitions · %4 dead-lettered · %5 rebalances")
                               .arg(g->consumedPerSec, 0, 'f', 0)
                               .arg(g->consumedTotal)
                               .arg(owning)
                               .arg(g->parseErrors)
                               .arg(g->rebalances);
            if (const QString detail = serviceDetail(name, s); !detail.isEmpty())
                text += QLatin1Char('\n') + detail;
            row.status->setText(text);
        } else {
            row.status->setText(tr("stopped"));
        }
        updateRow(row);
    }
    for (const auto &b : s.brokers) {
        const auto edit = m_brokerEdits.find(b.id);
        if (edit != m_brokerEdits.end() && edit->second.elapsed() < kEditHoldMs)
            continue;
        if (auto it = m_brokers.find(b.id); it != m_brokers.end())
            it->second->setChecked(b.up);
    }
    for (auto &[id, box] : m_brokers)
        box->setEnabled(m_embedded);
    if (!(m_keyedEdit.isValid() && m_keyedEdit.elapsed() < kEditHoldMs))
        m_keyed->setChecked(s.workloadKeyed);
    m_brokersNote->setText(m_embedded ? tr("Untick a broker to stop it: its partitions stall until it is back (the "
                                           "embedded cluster keeps leadership with a stopped broker).")
                                      : tr("Brokers of a real cluster are stopped outside the app, for example "
                                           "'kafka-collab-lab stack stop-broker 2' on the local lab stack."));
    m_updating = false;
}

QString PipelinePage::serviceDetail(const QString &service, const Snapshot &s) const
{
    if (service == QLatin1String("search-indexer") && s.search.running) {
        const SearchStats &x = s.search;
        const QString node = x.nodeUp == kSearchNodeUp        ? tr("node up")
                             : x.nodeUp == kSearchNodeDown     ? tr("node down")
                             : x.nodeUp == kSearchNodeRefusing ? tr("node answers but refuses the writes (see the error)")
                                                               : tr("node not reached yet");
        return tr("index '%1': %2 written · %3 deleted · %4 already applied (409) · %5 waiting · %6 failed bulks · %7")
            .arg(QString::fromStdString(x.index))
            .arg(x.indexed)
            .arg(x.deleted)
            .arg(x.versionConflicts)
            .arg(x.buffered)
            .arg(x.bulkFailures)
            .arg(node);
    }
    if (service == QLatin1String("state-rebuilder")) {
        const RebuilderStats &r = s.services.rebuilder;
        QString text = tr("%1 events applied · %2 messages rebuilt (%3 deleted) · %4")
                           .arg(r.applied)
                           .arg(r.messages)
                           .arg(r.deleted)
                           .arg(r.caughtUp ? tr("caught up") : tr("replaying"));
        if (r.differences >= 0)
            text += QLatin1Char('\n') + tr("compared with the write model: %n difference(s)", nullptr, int(r.differences));
        if (!r.stateTopic.empty())
            text += QLatin1Char('\n') + tr("latest state in %1 (compacted): %2 records written")
                                            .arg(QString::fromStdString(r.stateTopic))
                                            .arg(r.statePublishedTotal);
        if (r.census.running)
            text += QLatin1Char('\n') + tr("reading the latest-state topic back...");
        else if (r.census.done)
            text += QLatin1Char('\n') + tr("read back: %1 records for %2 messages (%3 tombstones); the log cleaner removed the older ones")
                                            .arg(r.census.records)
                                            .arg(r.census.keys)
                                            .arg(r.census.tombstones);
        return text;
    }
    if (service == QLatin1String("archive"))
        return tr("%1 lines in %2").arg(s.services.archive.lines).arg(QString::fromStdString(s.services.archive.directory));
    if (service == QLatin1String("analytics"))
        return tr("%1 events in windows · %2 late · %3 windows closed")
            .arg(s.services.analytics.events)
            .arg(s.services.analytics.lateEvents)
            .arg(s.services.analytics.windowsClosed);
    return {};
}

void PipelinePage::updateRow(ServiceRow &row)
{
    row.members->setText(QString::number(row.requestedMembers));
    row.minus->setEnabled(row.requestedMembers > 0);
    row.plus->setEnabled(row.requestedMembers < kMaxMembers);
    row.startStop->setText(row.requestedMembers > 0 ? tr("Stop") : tr("Start"));
    row.delay->setEnabled(row.runningMembers > 0);
    row.reset->setEnabled(row.runningMembers > 0);
}

void PipelinePage::requestMembers(const QString &service, int members)
{
    auto it = m_rows.find(service);
    if (it == m_rows.end())
        return;
    members = std::clamp(members, 0, kMaxMembers);
    it->second.requestedMembers = members;
    it->second.lastEdit.start();
    updateRow(it->second);
    m_engine->setGroupMembers(service, members);
}

void PipelinePage::requestDelay(const QString &service, int ms)
{
    if (auto it = m_rows.find(service); it != m_rows.end())
        it->second.lastEdit.start();
    m_engine->setProcessingDelayMs(service, ms);
}

void PipelinePage::requestReset(const QString &service)
{
    m_engine->resetGroupOffsets(service, QStringLiteral("earliest"));
}

void PipelinePage::requestBrokerUp(int brokerId, bool up)
{
    m_brokerEdits[brokerId].start();
    m_engine->setBrokerUp(brokerId, up);
}

void PipelinePage::requestKeyed(bool keyed)
{
    m_keyedEdit.start();
    m_engine->setWorkloadKeyed(keyed);
}

QStringList PipelinePage::services() const { return m_order; }

int PipelinePage::shownMembers(const QString &service) const
{
    auto it = m_rows.find(service);
    return it == m_rows.end() ? -1 : it->second.members->text().toInt();
}

QString PipelinePage::statusText(const QString &service) const
{
    auto it = m_rows.find(service);
    return it == m_rows.end() ? QString() : it->second.status->text();
}

void PipelinePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void PipelinePage::retranslateUi()
{
    m_servicesBox->setTitle(tr("Services (one consumer group each)"));
    m_headers[0]->setText(tr("Service"));
    m_headers[1]->setText(tr("Members"));
    m_headers[2]->setText(tr("Run"));
    m_headers[3]->setText(tr("Delay per record"));
    m_headers[4]->setText(tr("Offsets"));
    m_headers[5]->setText(tr("What it does now"));
    for (auto &[name, row] : m_rows) {
        row.minus->setToolTip(tr("Remove a member (the group rebalances)"));
        row.plus->setToolTip(tr("Add a member (the group rebalances)"));
        row.delay->setSuffix(tr(" ms"));
        row.delay->setToolTip(tr("Slow this consumer: every member waits this long per record, so lag builds"));
        row.reset->setText(tr("Rewind"));
        row.reset->setToolTip(tr("Reset the group's committed offsets to the start of every partition (its members "
                                 "leave and rejoin) and watch it reprocess"));
        updateRow(row);
    }
    m_brokersBox->setTitle(tr("Brokers"));
    for (auto &[id, box] : m_brokers)
        box->setText(tr("broker %1 up").arg(id));
    m_workloadBox->setTitle(tr("Backend workload"));
    m_keyed->setText(tr("Key message events by channel (per-channel order); untick to send them without a key"));
    m_poison->setText(tr("Send a poison message"));
    m_poison->setToolTip(tr("Send one record that is JSON but not an event to platform.messages.created: every "
                            "consumer refuses it and sends it to platform.deadletter, then goes on"));
    m_replay->setText(tr("Replay: rebuild the state"));
    m_replay->setToolTip(tr("Start the state rebuilder in a new group that reads the message topics from the beginning "
                            "(event sourcing)"));
}

} // namespace kcl::ui
