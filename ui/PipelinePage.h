#pragma once
// The pipeline controls page (issue 6): every service the pipeline can run, with its members (+/-, start/stop),
// an artificial processing delay ("slow a consumer"), an offset reset, and what it is doing; the embedded cluster's
// brokers, each with a switch to stop and start it; and whether message events are keyed by channel.
// Commands go through EngineClient (queued calls); rows follow the snapshots unless the user is editing them.
#include "DashboardPage.h"

#include <QElapsedTimer>
#include <map>

class QCheckBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QSpinBox;
class QToolButton;
class QPushButton;

namespace kcl::ui {

class EngineClient;

class PipelinePage : public DashboardPage {
    Q_OBJECT
public:
    explicit PipelinePage(EngineClient *engine, QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    // The same paths as the widgets (used by tests).
    void requestMembers(const QString &service, int members);
    void requestDelay(const QString &service, int ms);
    void requestReset(const QString &service);
    void requestBrokerUp(int brokerId, bool up);
    void requestKeyed(bool keyed);
    QStringList services() const;
    int shownMembers(const QString &service) const;  // -1 when the service has no row
    QString statusText(const QString &service) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct ServiceRow {
        QLabel *name = nullptr;
        QToolButton *minus = nullptr;
        QLabel *members = nullptr;
        QToolButton *plus = nullptr;
        QPushButton *startStop = nullptr;
        QSpinBox *delay = nullptr;
        QPushButton *reset = nullptr;
        QLabel *status = nullptr;
        int requestedMembers = 0;
        int runningMembers = 0;
        QElapsedTimer lastEdit;        // the user's own edits win over snapshots for a moment
    };
    void ensureRows(const std::vector<std::string> &services);
    void ensureBrokers(const std::vector<BrokerState> &brokers);
    void retranslateUi();
    void updateRow(ServiceRow &row);
    QString serviceDetail(const QString &service, const Snapshot &s) const; // the service's own figures

    EngineClient *m_engine;
    QGroupBox *m_servicesBox = nullptr;
    QGridLayout *m_servicesGrid = nullptr;
    std::map<QString, ServiceRow> m_rows;
    QStringList m_order;
    QLabel *m_headers[6] = {};
    QGroupBox *m_brokersBox = nullptr;
    QGridLayout *m_brokersGrid = nullptr;
    std::map<int, QCheckBox *> m_brokers;
    std::map<int, QElapsedTimer> m_brokerEdits;
    QLabel *m_brokersNote = nullptr;
    QGroupBox *m_workloadBox = nullptr;
    QCheckBox *m_keyed = nullptr;
    QPushButton *m_poison = nullptr;
    QPushButton *m_replay = nullptr;
    QElapsedTimer m_keyedEdit;
    bool m_embedded = true;
    bool m_updating = false;
};

} // namespace kcl::ui
