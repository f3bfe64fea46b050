#include "WorkloadControls.h"

#include "EngineClient.h"
#include "pipeline/NotificationService.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <cmath>

namespace kcl::ui {

WorkloadControls::WorkloadControls(EngineClient *engine, QWidget *parent) : QWidget(parent), m_engine(engine)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 12, 4);

    m_runButton = new QPushButton(this);
    m_runButton->setObjectName(QStringLiteral("workloadRunButton"));
    m_runButton->setCheckable(true);
    m_runButton->setChecked(true);
    layout->addWidget(m_runButton);
    layout->addSpacing(12);

    m_rateLabel = new QLabel(this);
    m_rateSlider = new QSlider(Qt::Horizontal, this);
    m_rateSlider->setRange(0, 1000);
    m_rateSlider->setMinimumWidth(180);
    m_rateSpin = new QSpinBox(this);
    m_rateSpin->setObjectName(QStringLiteral("workloadRate"));
    m_rateSpin->setRange(1, kMaxRate);
    m_rateSpin->setValue(100);
    m_rateSpin->setGroupSeparatorShown(true);
    m_rateSpin->setKeyboardTracking(false);
    m_rateLabel->setBuddy(m_rateSpin);
    m_rateSlider->setValue(sliderFromRate(100));
    layout->addWidget(m_rateLabel);
    layout->addWidget(m_rateSlider);
    layout->addWidget(m_rateSpin);
    layout->addSpacing(24);

    m_membersLabel = new QLabel(this);
    m_minus = new QToolButton(this);
    m_minus->setText(QStringLiteral("−"));
    m_minus->setObjectName(QStringLiteral("membersMinus"));
    m_plus = new QToolButton(this);
    m_plus->setText(QStringLiteral("+"));
    m_plus->setObjectName(QStringLiteral("membersPlus"));
    m_membersValue = new QLabel(this);
    m_membersValue->setMinimumWidth(m_membersValue->fontMetrics().horizontalAdvance(QStringLiteral("00 (00)")));
    layout->addWidget(m_membersLabel);
    layout->addWidget(m_minus);
    layout->addWidget(m_membersValue);
    layout->addWidget(m_plus);
    layout->addStretch(1);

    m_rateDebounce.setSingleShot(true);
    m_rateDebounce.setInterval(250);
    connect(&m_rateDebounce, &QTimer::timeout, this, &WorkloadControls::sendRate);

    connect(m_runButton, &QPushButton::toggled, this, [this](bool on) {
        if (!m_updating)
            requestRunning(on);
        retranslateUi();
    });
    connect(m_rateSlider, &QSlider::valueChanged, this, [this](int position) {
        if (m_updating)
            return;
        const QSignalBlocker block(m_rateSpin);
        m_rateSpin->setValue(rateFromSlider(position));
        m_lastUserEdit.start();
        m_rateDebounce.start();
    });
    connect(m_rateSpin, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_updating)
            return;
        requestRate(value);
    });
    connect(m_minus, &QToolButton::clicked, this, [this] { requestMembers(std::max(0, m_members - 1)); });
    connect(m_plus, &QToolButton::clicked, this, [this] { requestMembers(std::min(kMaxMembers, m_members + 1)); });
    retranslateUi();
    updateMembersUi();
}

int WorkloadControls::sliderFromRate(int rate)
{
    // 0..1000 over log10(1)..log10(kMaxRate)
    return int(std::lround(1000.0 * std::log10(double(std::max(rate, 1))) / std::log10(double(kMaxRate))));
}

int WorkloadControls::rateFromSlider(int position)
{
    const double r = std::pow(10.0, position / 1000.0 * std::log10(double(kMaxRate)));
    // round to 2 significant digits so the slider lands on readable numbers
    const double magnitude = std::pow(10.0, std::max(0.0, std::floor(std::log10(r)) - 1));
    return std::clamp(int(std::lround(r / magnitude) * magnitude), 1, kMaxRate);
}

int WorkloadControls::rate() const
{
    return m_rateSpin->value();
}

void WorkloadControls::requestRate(int eventsPerSecond)
{
    eventsPerSecond = std::clamp(eventsPerSecond, 1, kMaxRate);
    m_updating = true;
    m_rateSpin->setValue(eventsPerSecond);
    m_rateSlider->setValue(sliderFromRate(eventsPerSecond));
    m_updating = false;
    m_lastUserEdit.start();
    m_rateDebounce.start();
}

void WorkloadControls::sendRate()
{
    m_engine->setWorkloadRate(m_rateSpin->value());
}

void WorkloadControls::requestRunning(bool running)
{
    m_running = running;
    m_lastUserEdit.start();
    if (m_runButton->isChecked() != running) {
        m_updating = true;
        m_runButton->setChecked(running);
        m_updating = false;
    }
    m_engine->setWorkloadRunning(running);
    retranslateUi();
}

void WorkloadControls::requestMembers(int members)
{
    m_members = std::clamp(members, 0, kMaxMembers);
    m_lastUserEdit.start();
    m_engine->setGroupMembers(QString::fromLatin1(kNotificationGroup), m_members);
    updateMembersUi();
}

void WorkloadControls::applySnapshot(const Snapshot &snapshot)
{
    // Follow the engine unless the user changed something in the last two seconds (the snapshot may predate it).
    const bool userEditing = (m_lastUserEdit.isValid() && m_lastUserEdit.elapsed() < 2000) || m_rateSpin->hasFocus();
    for (const GroupInfo &g : snapshot.groups)
        if (g.groupId == kNotificationGroup) {
            m_joined = 0;
            for (const MemberInfo &m : g.members)
                m_joined += m.joined ? 1 : 0;
            // Members may also change elsewhere (the pipeline page, a lab): show what runs.
            if (m_members < 0 || !userEditing)
                m_members = static_cast<int>(g.members.size());
        }
    if (m_members < 0 && snapshot.atMs > 0)
        m_members = 0;
    if (!userEditing) {
        m_updating = true;
        const int r = int(std::lround(snapshot.workloadRate));
        if (r > 0 && r != m_rateSpin->value()) {
            m_rateSpin->setValue(std::clamp(r, 1, kMaxRate));
            m_rateSlider->setValue(sliderFromRate(r));
        }
        const bool changed = m_running != snapshot.workloadRunning;
        m_running = snapshot.workloadRunning;
        m_runButton->setChecked(m_running);
        m_updating = false;
        if (changed)
            retranslateUi();
    }
    updateMembersUi();
}

void WorkloadControls::updateMembersUi()
{
    if (m_members < 0) {
        m_membersValue->setText(QStringLiteral("–"));
    } else {
        m_membersValue->setText(QStringLiteral("<b>%1</b>").arg(m_members));
        m_membersValue->setToolTip(tr("%1 requested, %2 with partitions assigned").arg(m_members).arg(m_joined));
    }
    m_minus->setEnabled(m_members > 0);
    m_plus->setEnabled(m_members >= 0 && m_members < kMaxMembers);
}

void WorkloadControls::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void WorkloadControls::retranslateUi()
{
    const bool on = m_runButton->isChecked();
    m_runButton->setText(on ? tr("Stop workload") : tr("Start workload"));
    m_runButton->setIcon(style()->standardIcon(on ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    m_runButton->setToolTip(tr("Start or stop the simulated backend (users writing messages with mentions)"));
    m_rateLabel->setText(tr("&Rate:"));
    m_rateSpin->setSuffix(tr(" events/s"));
    m_rateSpin->setToolTip(tr("Events per second the backend workload produces"));
    m_rateSlider->setToolTip(m_rateSpin->toolTip());
    m_membersLabel->setText(tr("notification-service members:"));
    m_minus->setToolTip(tr("Remove a member (the group rebalances)"));
    m_plus->setToolTip(tr("Add a member (the group rebalances)"));
    updateMembersUi();
}

} // namespace kcl::ui
