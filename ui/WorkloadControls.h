#pragma once
// Pipeline controls of first light: start/stop the backend workload, its rate (slider on a log scale plus a
// spin box, sent after a short pause in typing), and the number of notification-service members (+/-).
// Commands go through EngineClient (queued calls); the controls follow the snapshots unless the user is editing.
#include "metrics/Snapshot.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace kcl::ui {

class EngineClient;

class WorkloadControls : public QWidget {
    Q_OBJECT
public:
    explicit WorkloadControls(EngineClient *engine, QWidget *parent = nullptr);

    void applySnapshot(const Snapshot &snapshot);

    // Also used by tests: the same path as the widgets.
    void requestRate(int eventsPerSecond);
    void requestRunning(bool running);
    void requestMembers(int members);
    int rate() const;
    int members() const { return m_members; }
    bool running() const { return m_running; }

    static constexpr int kMaxRate = 200000;
    static constexpr int kMaxMembers = 12;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void sendRate();
    void updateMembersUi();
    static int sliderFromRate(int rate);
    static int rateFromSlider(int position);

    EngineClient *m_engine;
    QPushButton *m_runButton = nullptr;
    QLabel *m_rateLabel = nullptr;
    QSlider *m_rateSlider = nullptr;
    QSpinBox *m_rateSpin = nullptr;
    QLabel *m_membersLabel = nullptr;
    QToolButton *m_minus = nullptr;
    QToolButton *m_plus = nullptr;
    QLabel *m_membersValue = nullptr;
    QTimer m_rateDebounce;
    QElapsedTimer m_lastUserEdit;
    bool m_running = true;
    int m_members = -1;       // requested (or first seen) count; -1 until known
    int m_joined = 0;         // members that have an assignment, from the snapshot
    bool m_updating = false;  // set while the code (not the user) moves the widgets
};

} // namespace kcl::ui
