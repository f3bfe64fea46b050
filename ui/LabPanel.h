#pragma once
// The lab panel, docked beside the pages: the labs (title in the current language, needs), the selected lab's
// description, Run / Stop, a progress bar, the step tracker and the checklist turning green or red live, each
// check with what the student should see. While a lab runs, the page it points to (`page =` in its steps and
// checks) is brought forward. A lab whose needs the current cluster does not meet says what is missing and,
// when the local lab stack would meet them, offers to start it (core LabStack: labstack.sh in its own process,
// its output shown line by line). After a run the report is exported as Markdown with PNGs of the lab's pages.
// Like the rest of the ui: no Kafka, HTTP or SQL call; the lab itself runs on the engine thread.
#include "cluster/ClusterProfile.h"
#include "labs/Lab.h"
#include "metrics/Snapshot.h"

#include <QWidget>
#include <functional>
#include <optional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;

namespace kcl {
class LabStack;
}

namespace kcl::ui {

class DashboardPage;
class EngineClient;
class LabCheckModel;
class LabStepModel;

class LabPanel : public QWidget {
    Q_OBJECT
public:
    // pageFor: the main window's page for a lab page name ("throughput", ...), or null; showPage brings it forward.
    using PageLookup = std::function<DashboardPage *(const QString &page)>;
    using PageShower = std::function<void(const QString &page)>;
    LabPanel(EngineClient *engine, PageLookup pageFor, PageShower showPage, QWidget *parent = nullptr);
    ~LabPanel() override;

    // The labs from defaultLabDirectory() (KCL_LABS_DIR, the installed copy, the source tree); bad files are
    // listed in loadErrors().
    void reloadLabs();
    const std::vector<Lab> &labs() const { return m_labs; }
    QStringList loadErrors() const { return m_loadErrors; }
    bool selectLab(const QString &id);
    const Lab *selectedLab() const;

    void applySnapshot(const Snapshot &snapshot);

    void runSelected();
    void stopRunning();
    void startLocalStack();
    // Writes the Markdown report of the last run to `path` and the PNGs of its pages beside it
    // (<name>-<page>.png). Returns the files written (the report first), or nothing and *error.
    QStringList exportReport(const QString &path, QString *error = nullptr);

    // What missing needs stop the selected lab on the current cluster ("" when none).
    QString missingNeedsText() const;
    bool localStackReady() const { return m_stackReady; }

    LabStepModel *stepModel() const { return m_steps; }
    LabCheckModel *checkModel() const { return m_checks; }
    QListWidget *labList() const { return m_list; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *stackButton() const { return m_stackButton; }
    QProgressBar *progressBar() const { return m_progressBar; }
    QLabel *resultLabel() const { return m_result; }
    QLabel *stackStatusLabel() const { return m_stackStatus; }
    LabProgressPtr lastProgress() const { return m_progress; }

Q_SIGNALS:
    void labFinished(bool passed);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void fillList();
    void onSelectionChanged();
    void updateControls();
    void showPendingProgress();
    void onExportClicked();

    EngineClient *m_engine = nullptr;
    PageLookup m_pageFor;
    PageShower m_showPage;
    std::vector<Lab> m_labs;
    QStringList m_loadErrors;

    // The lab started from this panel and where it stands.
    std::optional<Lab> m_runningLab;
    LabProgressPtr m_progress;
    SnapshotPtr m_finalSnapshot;   // the figures when the lab ended, for the report
    std::string m_shownPage;
    bool m_running = false;
    std::uint64_t m_lastSeenRun = 0, m_awaitRunAfter = 0;

    LabStack *m_stack = nullptr;
    bool m_stackReady = false;     // the local lab stack was started from here: labs needing it run on it

    QLabel *m_listTitle = nullptr, *m_title = nullptr, *m_description = nullptr, *m_needs = nullptr, *m_missing = nullptr;
    QListWidget *m_list = nullptr;
    QPushButton *m_run = nullptr, *m_stop = nullptr, *m_export = nullptr, *m_stackButton = nullptr;
    QProgressBar *m_progressBar = nullptr, *m_stackProgress = nullptr;
    QLabel *m_stackStatus = nullptr, *m_result = nullptr, *m_stepsTitle = nullptr, *m_checksTitle = nullptr;
    QTableView *m_stepsView = nullptr, *m_checksView = nullptr;
    LabStepModel *m_steps = nullptr;
    LabCheckModel *m_checks = nullptr;
};

} // namespace kcl::ui
