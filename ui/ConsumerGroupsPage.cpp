#include "ConsumerGroupsPage.h"

#include "ConsumerGroupModels.h"
#include "ThroughputPage.h"
#include "TimeSeriesChart.h"

#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace kcl::ui {
namespace {
QTableView *makeTable(QWidget *parent, QAbstractItemModel *model, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive); // ResizeToContents while shown
    // Columns fit the rows on screen only: by default Qt measures up to 1,000 rows' text on every update, which
    // cost ~60 ms per refresh with 1,000 partitions (the GUI thread's whole budget; profiled with perf). A hidden
    // view measures every row whatever the precision, so the page fits columns only while it is shown (showEvent).
    view->horizontalHeader()->setResizeContentsPrecision(0);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}
} // namespace

ConsumerGroupsPage::ConsumerGroupsPage(QWidget *parent)
    : DashboardPage(parent), m_groups(new ConsumerGroupsModel(this)), m_partitions(new PartitionLagModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_coverage = new QLabel(this);
    m_coverage->setWordWrap(true);
    m_coverage->setStyleSheet(QStringLiteral("color: #57606a;"));
    layout->addWidget(m_coverage);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *top = new QSplitter(Qt::Horizontal, splitter);
    m_groupsView = makeTable(top, m_groups, QStringLiteral("groupsTable"));
    m_lagChart = createTimeSeriesChart(top);
    m_lagChart->setLegendAtBottom(true);
    top->addWidget(m_groupsView);
    top->addWidget(m_lagChart->widget());
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    auto *bottom = new QWidget(splitter);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 6, 0, 0);
    m_partitionsTitle = new QLabel(bottom);
    QFont bold = m_partitionsTitle->font();
    bold.setBold(true);
    m_partitionsTitle->setFont(bold);
    m_partitionsView = makeTable(bottom, m_partitions, QStringLiteral("partitionsTable"));
    m_partitionsView->horizontalHeader()->setStretchLastSection(false);
    bottomLayout->addWidget(m_partitionsTitle);
    bottomLayout->addWidget(m_partitionsView, 1);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_groupsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConsumerGroupsPage::onSelectionChanged);
    connect(m_groups, &QAbstractItemModel::modelReset, this, [this] {
        // The set of groups changed: keep the selected group if it is still there, else take the first.
        const int row = m_partitions->group().isEmpty() ? -1 : m_groups->rowForGroup(m_partitions->group());
        if (row >= 0)
            m_groupsView->selectRow(row);
        else if (m_groups->rowCount() > 0)
            m_groupsView->selectRow(0);
    });
    retranslateUi();
}

ConsumerGroupsPage::~ConsumerGroupsPage() = default;

QString ConsumerGroupsPage::title() const
{
    return tr("Consumer groups");
}

void ConsumerGroupsPage::selectGroup(const QString &groupId)
{
    const int row = m_groups->rowForGroup(groupId);
    if (row >= 0)
        m_groupsView->selectRow(row);
    else
        m_partitions->setGroup(groupId);
}

void ConsumerGroupsPage::onSelectionChanged()
{
    const QModelIndexList rows = m_groupsView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    m_partitions->setGroup(m_groups->row(rows.first().row()).groupId);
    retranslateUi();
}

void ConsumerGroupsPage::applySnapshot(const Snapshot &snapshot)
{
    m_groups->update(snapshot);
    m_partitions->update(snapshot);
    // Lag over time, one line per group, at 1 s resolution (the monitor's own cycle is about that).
    const qint64 sec = snapshot.atMs / 1000;
    if (snapshot.lag && sec > m_lagHistory.latestSec()) {
        for (const GroupLagReport &g : snapshot.lag->groups)
            m_lagHistory.add(QString::fromStdString(g.groupId), sec, double(g.totalLag));
        drawNowOrWhenShown(); // the chart; the tables cost nothing while hidden (their views do not lay out)
    }
    const QString coverage = snapshot.lag ? QString::fromStdString(snapshot.lag->coverage) : QString();
    if (coverage != m_coverageText) {
        m_coverageText = coverage;
        retranslateUi();
    }
}

void ConsumerGroupsPage::drawPending()
{
    redrawLagChart();
}

void ConsumerGroupsPage::redrawLagChart()
{
    const qint64 toSec = m_lagHistory.latestSec();
    if (toSec < 0)
        return;
    const qint64 fromSec = std::max(toSec - 5 * 60, std::min(m_lagHistory.oldestSec(), toSec - 30));
    const int maxPoints = std::clamp(m_lagChart->widget()->width(), 100, 2000);
    std::vector<TimeSeriesChart::Series> series;
    const QStringList keys = m_lagHistory.keys();
    for (int i = 0; i < keys.size(); ++i)
        series.push_back({keys[i], keys[i], ThroughputPage::colorForTopic(i), m_lagHistory.points(keys[i], fromSec, maxPoints)});
    m_lagChart->setData(series, fromSec * 1000, toSec * 1000);
}

void ConsumerGroupsPage::showEvent(QShowEvent *event)
{
    for (QTableView *view : {m_groupsView, m_partitionsView})
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    DashboardPage::showEvent(event);
}

void ConsumerGroupsPage::hideEvent(QHideEvent *event)
{
    for (QTableView *view : {m_groupsView, m_partitionsView})
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive); // keeps the widths it has
    DashboardPage::hideEvent(event);
}

void ConsumerGroupsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void ConsumerGroupsPage::retranslateUi()
{
    // The monitor's coverage sentence comes from core in English; the ui adds its own explanation.
    m_coverage->setText(m_coverageText.isEmpty() ? tr("Waiting for the lag monitor's first cycle…")
                                                 : tr("What the lag monitor sees: %1").arg(m_coverageText));
    m_partitionsTitle->setText(m_partitions->group().isEmpty()
                                   ? tr("Partitions")
                                   : tr("Partitions of %1: owner, committed offset, end offset and lag").arg(m_partitions->group()));
    m_groups->retranslate();
    m_partitions->retranslate();
    m_lagChart->setTitle(tr("Lag over time (last 5 minutes)"));
    m_lagChart->setValueAxisTitle(tr("messages behind"));
}

} // namespace kcl::ui
