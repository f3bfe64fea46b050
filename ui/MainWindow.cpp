#include "MainWindow.h"

#include "ClusterBar.h"
#include "ConnectionDialog.h"
#include "ConsumerGroupsPage.h"
#include "EngineClient.h"
#include "ErrorBanner.h"
#include "LabPanel.h"
#include "NotificationModel.h"
#include "NotificationsPage.h"
#include "EventsPage.h"
#include "OverviewPage.h"
#include "SearchPage.h"
#include "PipelinePage.h"
#include "ThroughputPage.h"
#include "Toast.h"
#include "Translations.h"
#include "WorkloadControls.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QEvent>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kcl::ui {

namespace {

// The pages fill the window below the bars: their height never depends on the window's width. A plain QTabWidget
// reports height-for-width when any page has it (word-wrapped labels), and then every layout pass of the window,
// one per refresh as the bars' figures change, asked every page, hidden ones too, to lay out its text: a third of
// the GUI thread's samples on the groups page at 1,000 partitions (issue 6, docs/benchmarks.md).
class PageTabs : public QTabWidget {
public:
    using QTabWidget::QTabWidget;
    bool hasHeightForWidth() const override { return false; }
};

} // namespace

MainWindow::MainWindow(kcl::PipelineEngine *engine, QWidget *parent) : QMainWindow(parent)
{
    m_engine = new EngineClient(engine, this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_clusterBar = new ClusterBar(m_engine, central);
    m_errorBanner = new ErrorBanner(central);
    m_controls = new WorkloadControls(m_engine, central);
    m_tabs = new PageTabs(central);
    m_tabs->setDocumentMode(true);
    m_throughput = new ThroughputPage(m_tabs);
    m_notifications = new NotificationsPage(m_tabs);
    m_groups = new ConsumerGroupsPage(m_tabs);
    addPage(m_throughput);
    addPage(m_notifications);
    addPage(m_groups);
    m_pipeline = new PipelinePage(m_engine, m_tabs);
    addPage(m_pipeline);
    m_events = new EventsPage(m_engine, m_tabs);
    addPage(m_events);
    m_search = new SearchPage(m_engine, m_tabs);
    addPage(m_search);
    m_overview = new OverviewPage(m_tabs);
    addPage(m_overview);
    layout->addWidget(m_clusterBar);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_controls);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    m_toast = new MentionToast(central);

    m_labDock = new QDockWidget(this);
    m_labDock->setObjectName(QStringLiteral("labDock"));
    m_labDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_labPanel = new LabPanel(
        m_engine, [this](const QString &name) { return pageNamed(name); },
        [this](const QString &name) {
            if (DashboardPage *page = pageNamed(name))
                m_tabs->setCurrentWidget(page);
        },
        m_labDock);
    m_labDock->setWidget(m_labPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_labDock);
    resizeDocks({m_labDock}, {460}, Qt::Horizontal);

    createMenus();
    statusBar()->setSizeGripEnabled(true);

    connect(m_engine, &EngineClient::refreshDue, this, &MainWindow::applySnapshot);
    connect(m_engine, &EngineClient::errorOccurred, this, &MainWindow::showError);
    connect(m_clusterBar, &ClusterBar::errorOccurred, this, &MainWindow::showError);
    connect(m_engine, &EngineClient::engineStarted, this, [this](const QString &cluster) {
        m_clusterBar->setEngineState(ClusterBar::EngineState::Running, cluster);
    });
    connect(m_engine, &EngineClient::engineStopped, this,
            [this] { m_clusterBar->setEngineState(ClusterBar::EngineState::Stopped); });
    connect(m_notifications->model(), &NotificationModel::notificationsArrived, m_toast, &MentionToast::notify);

    resize(1280, 800);
    retranslateUi();
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(DashboardPage *page)
{
    m_pages.push_back(page);
    m_tabs->addTab(page, page->title());
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_clusterMenu = menuBar()->addMenu(QString());
    m_connectAction = m_clusterMenu->addAction(QString(), this, [this] { openConnectionDialog(); });
    m_connectAction->setObjectName(QStringLiteral("connectAction"));

    m_viewMenu = menuBar()->addMenu(QString());
    m_toastAction = m_viewMenu->addAction(QString());
    m_toastAction->setCheckable(true);
    m_toastAction->setChecked(true);
    connect(m_toastAction, &QAction::toggled, m_toast, &MentionToast::setEnabledToasts);
    m_viewMenu->addAction(m_labDock->toggleViewAction());

    m_languageMenu = menuBar()->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    m_systemLanguageAction = m_languageMenu->addAction(QString());
    m_systemLanguageAction->setData(QString());
    m_languageMenu->addSeparator();
    // Language names are written in their own language on purpose (so a user who cannot read the current one
    // still finds theirs): they are not translated.
    const std::pair<QString, QString> languages[] = {{QStringLiteral("ko"), QStringLiteral("한국어")},
                                                     {QStringLiteral("en"), QStringLiteral("English")}};
    for (const auto &[code, name] : languages) {
        QAction *a = m_languageMenu->addAction(name);
        a->setData(code);
        a->setCheckable(true);
        a->setChecked(code == currentLanguage());
        m_languageGroup->addAction(a);
    }
    connect(m_languageMenu, &QMenu::triggered, this, [this](QAction *action) {
        if (!action->data().isValid())
            return;
        switchLanguage(action->data().toString());
        const QString now = currentLanguage();
        for (QAction *a : m_languageGroup->actions())
            a->setChecked(a->data().toString() == now);
    });
}

ConnectionDialog *MainWindow::openConnectionDialog()
{
    auto *dialog = new ConnectionDialog(m_engine->clusterProfile(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ClusterProfile profile = dialog->profile();
        m_engine->connectTo(profile);
        m_clusterBar->setEngineState(ClusterBar::EngineState::Starting, profile.describe());
    });
    dialog->open(); // window-modal, and no nested event loop: the window keeps refreshing behind it
    return dialog;
}

void MainWindow::showPage(Page page)
{
    QWidget *w = m_throughput;
    if (page == NotificationsTab)
        w = m_notifications;
    else if (page == ConsumerGroupsTab)
        w = m_groups;
    m_tabs->setCurrentWidget(w);
}

DashboardPage *MainWindow::pageNamed(const QString &name) const
{
    if (name == QLatin1String("throughput"))
        return m_throughput;
    if (name == QLatin1String("notifications"))
        return m_notifications;
    if (name == QLatin1String("groups"))
        return m_groups;
    if (name == QLatin1String("pipeline"))
        return m_pipeline;
    if (name == QLatin1String("events"))
        return m_events;
    if (name == QLatin1String("overview"))
        return m_overview;
    if (name == QLatin1String("search"))
        return m_search;
    return nullptr;
}

void MainWindow::applySnapshot(const kcl::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const Snapshot &s = *snapshot;
    m_clusterBar->applySnapshot(s);
    m_controls->applySnapshot(s);
    for (DashboardPage *page : m_pages)
        page->applySnapshot(s);
    m_labPanel->applySnapshot(s);
    // Errors the services recorded (delivery failures, broker transport errors, ...): show the new ones.
    for (const ErrorRecord &e : m_errorFeed.take(s).errors)
        showError(QString::fromStdString(e.source), QString::fromStdString(e.errorName), QString::fromStdString(e.message));
    statusBar()->showMessage(tr("Snapshot %1 · uptime %2 s")
                                 .arg(QDateTime::fromMSecsSinceEpoch(s.atMs).toString(QStringLiteral("HH:mm:ss")))
                                 .arg(qint64(s.uptimeSec)));
}

void MainWindow::showError(const QString &source, const QString &errorName, const QString &message)
{
    m_errorBanner->showError(source, errorName, message);
    if (source == QLatin1String("cluster") && !m_engine->latest())
        m_clusterBar->setEngineState(ClusterBar::EngineState::Stopped); // it never started
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    setWindowTitle(tr("Kafka Collab Lab"));
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        m_tabs->setTabText(static_cast<int>(i), m_pages[i]->title());
    m_fileMenu->setTitle(tr("&File"));
    m_quitAction->setText(tr("&Quit"));
    m_clusterMenu->setTitle(tr("&Cluster"));
    m_connectAction->setText(tr("&Connect…"));
    m_viewMenu->setTitle(tr("&View"));
    m_toastAction->setText(tr("Show &toasts for new mentions"));
    m_languageMenu->setTitle(tr("&Language"));
    m_systemLanguageAction->setText(tr("Follow the system"));
    m_labDock->setWindowTitle(tr("Labs"));
}

} // namespace kcl::ui
