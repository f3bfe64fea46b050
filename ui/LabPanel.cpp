#include "LabPanel.h"

#include "DashboardPage.h"
#include "EngineClient.h"
#include "LabModels.h"
#include "Translations.h"
#include "cluster/LabStack.h"
#include "labs/LabRunner.h"
#include "labs/LabSession.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kcl::ui {
namespace {

QTableView *makeTable(QWidget *parent, QAbstractItemModel *model, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setWordWrap(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return view;
}

QLabel *boldLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

// The pages a lab names, in the order its steps and checks name them (the Throughput page when none).
QStringList labPagesOf(const Lab &lab)
{
    QStringList pages;
    for (const LabStep &st : lab.steps)
        if (!st.page.isEmpty() && !pages.contains(st.page))
            pages << st.page;
    for (const LabCheck &c : lab.checks)
        if (!c.page.isEmpty() && !pages.contains(c.page))
            pages << c.page;
    if (pages.isEmpty())
        pages << QStringLiteral("throughput");
    return pages;
}

} // namespace

LabPanel::LabPanel(EngineClient *engine, PageLookup pageFor, PageShower showPage, QWidget *parent)
    : QWidget(parent), m_engine(engine), m_pageFor(std::move(pageFor)), m_showPage(std::move(showPage)),
      m_steps(new LabStepModel(this)), m_checks(new LabCheckModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *splitter = new QSplitter(Qt::Vertical, this);

    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    m_listTitle = boldLabel(top);
    m_list = new QListWidget(top);
    m_list->setObjectName(QStringLiteral("labList"));
    m_title = boldLabel(top);
    m_title->setWordWrap(true);
    m_description = new QLabel(top);
    m_description->setWordWrap(true);
    m_needs = new QLabel(top);
    m_needs->setStyleSheet(QStringLiteral("color: #57606a;"));
    m_missing = new QLabel(top);
    m_missing->setWordWrap(true);
    m_missing->setStyleSheet(QStringLiteral("color: #cf222e;"));
    m_stackButton = new QPushButton(top);
    m_stackButton->setObjectName(QStringLiteral("startStackButton"));
    m_stackProgress = new QProgressBar(top);
    m_stackProgress->setRange(0, 0); // busy: labstack.sh says how far it is in its output lines
    m_stackProgress->setMaximumHeight(8);
    m_stackProgress->setTextVisible(false);
    m_stackProgress->hide();
    m_stackStatus = new QLabel(top);
    m_stackStatus->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    m_run = new QPushButton(top);
    m_run->setObjectName(QStringLiteral("runLabButton"));
    m_stop = new QPushButton(top);
    m_stop->setObjectName(QStringLiteral("stopLabButton"));
    m_export = new QPushButton(top);
    m_export->setObjectName(QStringLiteral("exportReportButton"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    buttons->addWidget(m_export);
    m_progressBar = new QProgressBar(top);
    m_progressBar->setRange(0, 1000);
    m_progressBar->setValue(0);
    m_result = boldLabel(top);
    m_result->setWordWrap(true);
    topLayout->addWidget(m_listTitle);
    topLayout->addWidget(m_list, 1);
    topLayout->addWidget(m_title);
    topLayout->addWidget(m_description);
    topLayout->addWidget(m_needs);
    topLayout->addWidget(m_missing);
    topLayout->addWidget(m_stackButton);
    topLayout->addWidget(m_stackProgress);
    topLayout->addWidget(m_stackStatus);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_progressBar);
    topLayout->addWidget(m_result);

    auto *stepsBox = new QWidget(splitter);
    auto *stepsLayout = new QVBoxLayout(stepsBox);
    stepsLayout->setContentsMargins(0, 0, 0, 0);
    m_stepsTitle = boldLabel(stepsBox);
    m_stepsView = makeTable(stepsBox, m_steps, QStringLiteral("labStepsTable"));
    stepsLayout->addWidget(m_stepsTitle);
    stepsLayout->addWidget(m_stepsView, 1);

    auto *checksBox = new QWidget(splitter);
    auto *checksLayout = new QVBoxLayout(checksBox);
    checksLayout->setContentsMargins(0, 0, 0, 0);
    m_checksTitle = boldLabel(checksBox);
    m_checksView = makeTable(checksBox, m_checks, QStringLiteral("labChecksTable"));
    m_checksView->horizontalHeader()->setStretchLastSection(false);
    m_checksView->horizontalHeader()->setSectionResizeMode(LabCheckModel::Check, QHeaderView::Stretch);
    m_stepsView->horizontalHeader()->setStretchLastSection(false);
    m_stepsView->horizontalHeader()->setSectionResizeMode(LabStepModel::Action, QHeaderView::Stretch);
    m_list->setMaximumHeight(190);
    checksLayout->addWidget(m_checksTitle);
    checksLayout->addWidget(m_checksView, 1);

    splitter->addWidget(top);
    splitter->addWidget(stepsBox);
    splitter->addWidget(checksBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 3);
    layout->addWidget(splitter, 1);

    connect(m_list, &QListWidget::currentRowChanged, this, &LabPanel::onSelectionChanged);
    connect(m_run, &QPushButton::clicked, this, &LabPanel::runSelected);
    connect(m_stop, &QPushButton::clicked, this, &LabPanel::stopRunning);
    connect(m_export, &QPushButton::clicked, this, &LabPanel::onExportClicked);
    connect(m_stackButton, &QPushButton::clicked, this, &LabPanel::startLocalStack);

    retranslateUi();
    reloadLabs();
}

LabPanel::~LabPanel() = default;

void LabPanel::reloadLabs()
{
    std::vector<LabError> errors;
    m_labs = loadLabDirectory(defaultLabDirectory(), &errors);
    m_loadErrors.clear();
    for (const LabError &e : errors)
        m_loadErrors << e.toString();
    fillList();
    if (!m_labs.empty())
        m_list->setCurrentRow(0);
}

void LabPanel::fillList()
{
    const int row = m_list->currentRow();
    const QSignalBlocker block(m_list);
    m_list->clear();
    const QString lang = currentLanguage();
    for (const Lab &lab : m_labs) {
        auto *item = new QListWidgetItem(QStringLiteral("%1  [%2]").arg(lab.title.in(lang), lab.needs.join(QStringLiteral(", "))), m_list);
        item->setData(Qt::UserRole, lab.id);
        item->setToolTip(lab.explain.in(lang));
    }
    m_list->setCurrentRow(row);
}

bool LabPanel::selectLab(const QString &id)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == id) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

const Lab *LabPanel::selectedLab() const
{
    const int row = m_list->currentRow();
    return row >= 0 && std::size_t(row) < m_labs.size() ? &m_labs[std::size_t(row)] : nullptr;
}

void LabPanel::onSelectionChanged()
{
    const Lab *lab = selectedLab();
    const QString lang = currentLanguage();
    m_title->setText(lab ? lab->title.in(lang) : QString());
    m_description->setText(lab ? lab->explain.in(lang) : QString());
    QStringList needs;
    if (lab) {
        for (const QString &n : lab->needs) {
            if (n == QLatin1String("embedded")) needs << tr("the embedded cluster");
            else if (n == QLatin1String("real")) needs << tr("a real Kafka cluster");
            else if (n == QLatin1String("brokers3")) needs << tr("3 brokers");
            else if (n == QLatin1String("search")) needs << tr("the search node");
            else if (n == QLatin1String("sql")) needs << tr("PostgreSQL");
            else needs << n;
        }
    }
    m_needs->setText(lab ? tr("Needs: %1 · %2 s").arg(needs.join(QStringLiteral(", "))).arg(lab->durationSec) : QString());
    if (!m_running) {
        m_result->clear();
        m_progressBar->setValue(0);
        showPendingProgress();
    }
    updateControls();
}

void LabPanel::showPendingProgress()
{
    const Lab *lab = selectedLab();
    if (!lab) {
        m_steps->setProgress(nullptr);
        m_checks->setProgress(Lab{}, nullptr);
        return;
    }
    const LabProgressPtr pending = LabSession(*lab, {}).progress();
    m_steps->setProgress(pending);
    m_checks->setProgress(*lab, pending);
}

QString LabPanel::missingNeedsText() const
{
    const Lab *lab = selectedLab();
    if (!lab)
        return {};
    const ClusterProfile cluster = m_engine ? m_engine->clusterProfile() : ClusterProfile{};
    if (LabRunner::unmetNeeds(*lab, cluster).isEmpty())
        return {};
    // The same conditions as LabRunner::unmetNeeds, said in the user's language.
    const bool embedded = cluster.kind == ClusterProfile::Kind::Embedded;
    QStringList missing;
    if (lab->needs.contains(QStringLiteral("real")) && embedded)
        missing << tr("a real Kafka cluster (the app runs on the embedded one)");
    if (lab->needs.contains(QStringLiteral("brokers3")) && embedded && cluster.embeddedBrokers < 3)
        missing << tr("3 brokers");
    if (lab->needs.contains(QStringLiteral("search")))
        missing << tr("the search indexer, which this version of the app does not run yet");
    if (lab->writeMode != WriteMode::Direct && !lab->needs.contains(QStringLiteral("sql")))
        missing << tr("PostgreSQL for the lab's write_mode ('sql' missing from its needs)");
    if (lab->needs.contains(QStringLiteral("embedded")) && !embedded && !lab->needs.contains(QStringLiteral("real")))
        missing << tr("the embedded cluster's fault injection: start the app with --cluster embedded");
    return tr("Missing: %1.").arg(missing.join(QStringLiteral("; ")));
}

void LabPanel::updateControls()
{
    const Lab *lab = selectedLab();
    const QString missing = missingNeedsText();
    const bool stackWouldMeet = lab && !missing.isEmpty() && LabRunner::localStackMeets(*lab);
    const bool runnable = lab && (missing.isEmpty() || (stackWouldMeet && m_stackReady));
    m_missing->setText(missing.isEmpty() || (stackWouldMeet && m_stackReady) ? QString() : missing);
    m_missing->setVisible(!m_missing->text().isEmpty());
    m_stackButton->setVisible(stackWouldMeet && !m_stackReady);
    m_stackButton->setEnabled(!(m_stack && m_stack->isRunning()));
    m_list->setEnabled(!m_running);
    m_run->setEnabled(!m_running && runnable);
    m_stop->setEnabled(m_running);
    m_export->setEnabled(!m_running && m_progress && m_progress->over() && m_finalSnapshot);
}

void LabPanel::runSelected()
{
    const Lab *lab = selectedLab();
    if (!lab || m_running || !m_engine)
        return;
    std::optional<ClusterProfile> cluster;
    if (!missingNeedsText().isEmpty()) {
        if (!(m_stackReady && LabRunner::localStackMeets(*lab)))
            return;
        cluster = ClusterProfile::local();
    }
    m_runningLab = *lab;
    m_running = true;
    m_finalSnapshot.reset();
    m_shownPage.clear();
    // Progress of an earlier run (of this lab or another) may still be in the snapshots: wait for a newer run.
    const std::uint64_t previousRun = m_progress ? m_progress->runId : 0;
    m_progress.reset();
    m_awaitRunAfter = std::max(previousRun, m_lastSeenRun);
    showPendingProgress();
    m_progressBar->setValue(0);
    m_result->setText(tr("Starting the lab…"));
    updateControls();
    m_engine->runLab(*lab, cluster);
}

void LabPanel::stopRunning()
{
    if (m_running && m_engine)
        m_engine->stopLab();
}

void LabPanel::applySnapshot(const Snapshot &s)
{
    if (s.lab)
        m_lastSeenRun = std::max(m_lastSeenRun, s.lab->runId);
    if (!m_running || !m_runningLab || !s.lab || s.lab->runId <= m_awaitRunAfter)
        return;
    const LabProgressPtr p = s.lab;
    m_progress = p;
    m_steps->setProgress(p);
    m_checks->setProgress(*m_runningLab, p);
    const double shownSec = std::min(p->elapsedSec, p->durationSec); // the drain after the end is not lab time
    const double fraction = p->durationSec > 0 ? shownSec / p->durationSec : 1.0;
    m_progressBar->setValue(int(fraction * 1000));
    m_progressBar->setFormat(p->phase == LabProgress::Phase::Draining ? tr("draining: waiting for the pipeline to be quiet…")
                                                                      : tr("%1 / %2 s").arg(qint64(shownSec)).arg(p->durationSec));
    if (!p->page.empty() && p->page != m_shownPage && m_showPage) {
        m_shownPage = p->page;
        m_showPage(QString::fromStdString(p->page)); // once per change: the student may look elsewhere after
    }
    if (!p->over()) {
        m_result->setText(tr("Running…"));
        return;
    }
    m_running = false;
    m_finalSnapshot = std::make_shared<Snapshot>(s);
    if (p->phase == LabProgress::Phase::Finished)
        m_result->setText(p->passed ? tr("PASSED: every check held.") : tr("FAILED: see the checks in red."));
    else
        m_result->setText(tr("Stopped: %1").arg(QString::fromStdString(p->error)));
    updateControls();
    Q_EMIT labFinished(p->phase == LabProgress::Phase::Finished && p->passed);
}

void LabPanel::startLocalStack()
{
    const Lab *lab = selectedLab();
    if (!lab || (m_stack && m_stack->isRunning()))
        return;
    if (!m_stack) {
        m_stack = new LabStack(this);
        connect(m_stack, &LabStack::outputLine, this, [this](const QString &line, bool) { m_stackStatus->setText(line); });
        connect(m_stack, &LabStack::finished, this, [this](int exitCode, const QString &output) {
            m_stackProgress->hide();
            m_stackReady = exitCode == LabStack::Ok;
            const QString last = output.trimmed().section(QLatin1Char('\n'), -1);
            m_stackStatus->setText(m_stackReady ? tr("The local lab stack is running (%1): Run uses it.").arg(ClusterProfile::local().describe())
                                                : tr("The local lab stack did not start (exit code %1): %2").arg(exitCode).arg(last));
            updateControls();
        });
    }
    QString error;
    if (m_stack->scriptPath().isEmpty())
        m_stack->setScriptPath(LabStack::locateScript(&error));
    if (!m_stack->up(LabRunner::brokersNeeded(*lab))) {
        m_stackStatus->setText(tr("Could not start the local lab stack: %1").arg(error.isEmpty() ? tr("a command is already running") : error));
        return;
    }
    m_stackProgress->show();
    m_stackStatus->setText(tr("Starting the local lab stack…"));
    updateControls();
}

QStringList LabPanel::exportReport(const QString &path, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return QStringList{};
    };
    if (!m_runningLab || !m_progress || !m_progress->over() || !m_finalSnapshot)
        return fail(tr("Run a lab to the end (or stop it) first."));
    const QFileInfo report(path);
    const QString base = report.completeBaseName();
    QStringList written{report.absoluteFilePath()};
    std::vector<std::pair<QString, QString>> images;
    QWidget *shownBefore = nullptr;
    for (const QString &page : labPagesOf(*m_runningLab)) {
        DashboardPage *widget = m_pageFor ? m_pageFor(page) : nullptr;
        if (!widget)
            continue;
        if (!shownBefore && widget->parentWidget())
            shownBefore = widget->parentWidget();
        if (m_showPage)
            m_showPage(page); // laid out at its real size before the picture
        const QString file = QStringLiteral("%1-%2.png").arg(base, page);
        const QString filePath = report.absoluteDir().filePath(file);
        if (!widget->grab().save(filePath))
            return fail(tr("Cannot write %1.").arg(filePath));
        images.emplace_back(widget->title(), file);
        written << filePath;
    }
    if (m_showPage && !m_shownPage.empty())
        m_showPage(QString::fromStdString(m_shownPage));
    const LabResult result = LabSession::resultFrom(*m_runningLab, *m_progress, m_finalSnapshot);
    QFile f(report.absoluteFilePath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(tr("Cannot write %1: %2").arg(report.absoluteFilePath(), f.errorString()));
    f.write(LabRunner::markdownReport(*m_runningLab, result, currentLanguage(), images).toUtf8());
    return written;
}

void LabPanel::onExportClicked()
{
    const QString suggested = QDir::home().filePath(QStringLiteral("%1-report.md").arg(m_runningLab ? m_runningLab->id : QStringLiteral("lab")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the lab report"), suggested, tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    QString error;
    const QStringList files = exportReport(path, &error);
    m_result->setText(files.isEmpty() ? error : tr("Report written: %1 (and %n picture(s)).", nullptr, int(files.size()) - 1).arg(files.first()));
}

void LabPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LabPanel::retranslateUi()
{
    m_listTitle->setText(tr("Choose a lab"));
    m_stepsTitle->setText(tr("Steps"));
    m_checksTitle->setText(tr("Checklist"));
    m_run->setText(tr("Run"));
    m_stop->setText(tr("Stop"));
    m_export->setText(tr("Export report…"));
    m_stackButton->setText(tr("Start the local lab stack"));
    fillList();
    onSelectionChanged();
    m_steps->retranslate();
    m_checks->retranslate();
}

} // namespace kcl::ui
