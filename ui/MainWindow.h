#pragma once
// The main window: small on purpose. It builds the cluster bar, the error banner, the workload controls and
// the pages, and hands them the newest snapshot on the EngineClient's refresh timer. Pages own their models
// and charts; nothing here talks to Kafka.
#include "metrics/ErrorFeed.h"
#include "metrics/Snapshot.h"

#include <QMainWindow>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QMenu;
class QTabWidget;

namespace kcl {
class PipelineEngine;
}

namespace kcl::ui {

class ClusterBar;
class ConnectionDialog;
class ConsumerGroupsPage;
class PipelinePage;
class EventsPage;
class OverviewPage;
class SearchPage;
class DashboardPage;
class EngineClient;
class ErrorBanner;
class LabPanel;
class MentionToast;
class NotificationsPage;
class ThroughputPage;
class WorkloadControls;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // engine: lives on its own thread (see kcl::EngineThread) and must outlive the window. May be null.
    explicit MainWindow(kcl::PipelineEngine *engine, QWidget *parent = nullptr);
    ~MainWindow() override;

    enum Page { ThroughputTab, NotificationsTab, ConsumerGroupsTab };
    void showPage(Page page);
    // The page a lab names (see kcl::labPages()), or null.
    DashboardPage *pageNamed(const QString &name) const;
    const std::vector<DashboardPage *> &pages() const { return m_pages; }

    EngineClient *engineClient() const { return m_engine; }
    ClusterBar *clusterBar() const { return m_clusterBar; }
    ErrorBanner *errorBanner() const { return m_errorBanner; }
    WorkloadControls *workloadControls() const { return m_controls; }
    ThroughputPage *throughputPage() const { return m_throughput; }
    NotificationsPage *notificationsPage() const { return m_notifications; }
    ConsumerGroupsPage *consumerGroupsPage() const { return m_groups; }
    PipelinePage *pipelinePage() const { return m_pipeline; }
    EventsPage *eventsPage() const { return m_events; }
    OverviewPage *overviewPage() const { return m_overview; }
    SearchPage *searchPage() const { return m_search; }
    MentionToast *mentionToast() const { return m_toast; }
    QTabWidget *tabs() const { return m_tabs; }
    LabPanel *labPanel() const { return m_labPanel; }
    QDockWidget *labDock() const { return m_labDock; }
    QAction *connectAction() const { return m_connectAction; }
    // Cluster > Connect...: opens the connection dialog (window-modal, deleted on close); when it is accepted the
    // engine moves to the chosen cluster. Returns the dialog (for tests).
    ConnectionDialog *openConnectionDialog();

protected:
    void changeEvent(QEvent *event) override;

private:
    void addPage(DashboardPage *page);
    void createMenus();
    void retranslateUi();
    void applySnapshot(const kcl::SnapshotPtr &snapshot);
    void showError(const QString &source, const QString &errorName, const QString &message);

    EngineClient *m_engine = nullptr;
    ClusterBar *m_clusterBar = nullptr;
    ErrorBanner *m_errorBanner = nullptr;
    WorkloadControls *m_controls = nullptr;
    QTabWidget *m_tabs = nullptr;
    ThroughputPage *m_throughput = nullptr;
    NotificationsPage *m_notifications = nullptr;
    ConsumerGroupsPage *m_groups = nullptr;
    PipelinePage *m_pipeline = nullptr;
    EventsPage *m_events = nullptr;
    OverviewPage *m_overview = nullptr;
    SearchPage *m_search = nullptr;
    MentionToast *m_toast = nullptr;
    LabPanel *m_labPanel = nullptr;   // docked beside the pages, so the page a lab points to stays in view
    QDockWidget *m_labDock = nullptr;
    std::vector<DashboardPage *> m_pages; // in tab order

    QMenu *m_fileMenu = nullptr, *m_clusterMenu = nullptr, *m_viewMenu = nullptr, *m_languageMenu = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_quitAction = nullptr, *m_toastAction = nullptr, *m_systemLanguageAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    kcl::ErrorFeed m_errorFeed; // which recorded errors the banner has shown
};

} // namespace kcl::ui
