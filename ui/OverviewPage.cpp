#include "OverviewPage.h"

#include "BackgroundReleaser.h"

#include <QShowEvent>
#include <utility>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

namespace kcl::ui {
namespace {

QTableView *makeTable(QStandardItemModel *model, QWidget *parent)
{
    auto *v = new QTableView(parent);
    v->setModel(model);
    v->verticalHeader()->hide();
    v->horizontalHeader()->setStretchLastSection(true);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setWordWrap(false);
    return v;
}

// Sets a cell's text and, for sorting and tests, its raw value.
void setCell(QStandardItemModel *m, int row, int column, const QString &text, const QVariant &raw = {})
{
    QStandardItem *item = m->item(row, column);
    if (!item) {
        item = new QStandardItem;
        m->setItem(row, column, item);
    }
    if (item->text() != text)
        item->setText(text);
    item->setData(raw.isValid() ? raw : QVariant(text), Qt::UserRole + 1);
}

QString brokerList(const std::vector<std::int32_t> &ids)
{
    QStringList s;
    for (auto id : ids)
        s << QString::number(id);
    return s.join(QLatin1Char(','));
}

} // namespace

OverviewPage::OverviewPage(QWidget *parent) : DashboardPage(parent)
{
    m_brokers = new QStandardItemModel(0, 4, this);
    m_topics = new QStandardItemModel(0, 6, this);
    m_partitions = new QStandardItemModel(0, 5, this);
    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *left = new QSplitter(Qt::Vertical, split);
    m_brokersView = makeTable(m_brokers, left);
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_series = new QBarSeries(m_chart);
    m_leaderSet = new QBarSet(QString(), this); // the series takes it over when appended
    m_messageSet = new QBarSet(QString(), this); // appended only once there are messages: owned here until then
    m_series->append(m_leaderSet);
    m_chart->addSeries(m_series);
    m_brokerAxis = new QBarCategoryAxis(m_chart);
    m_leaderAxis = new QValueAxis(m_chart);
    m_leaderAxis->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_brokerAxis, Qt::AlignBottom);
    m_chart->addAxis(m_leaderAxis, Qt::AlignLeft);
    m_series->attachAxis(m_brokerAxis);
    m_series->attachAxis(m_leaderAxis);
    m_chartView = new QChartView(m_chart, left); // the view owns the chart
    m_chartView->setMinimumHeight(220);
    auto *right = new QSplitter(Qt::Vertical, split);
    m_topicsView = makeTable(m_topics, right);
    m_topicsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents); // full topic names
    auto *partitionsBox = new QWidget(right);
    auto *pl = new QVBoxLayout(partitionsBox);
    pl->setContentsMargins(0, 0, 0, 0);
    m_partitionsTitle = new QLabel(partitionsBox);
    pl->addWidget(m_partitionsTitle);
    m_partitionsView = makeTable(m_partitions, partitionsBox);
    pl->addWidget(m_partitionsView);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    connect(m_topicsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
        if (i.isValid())
            selectTopic(m_topics->item(i.row(), 0)->text());
    });
    retranslateUi();
}

QString OverviewPage::title() const { return tr("Overview"); }

void OverviewPage::selectTopic(const QString &topic)
{
    m_selected = topic;
    if (m_newestReport) {
        // Re-fill the partition table at once, from the newest report (brokers and topics are unchanged).
        for (const auto &t : m_newestReport->topics) {
            if (QString::fromStdString(t.topic) != m_selected)
                continue;
            m_partitions->setRowCount(t.partitions);
            for (int p = 0; p < t.partitions; ++p) {
                const auto i = static_cast<std::size_t>(p);
                setCell(m_partitions, p, 0, QString::number(p), p);
                const int leader = t.leaderPerPartition[i];
                setCell(m_partitions, p, 1, leader >= 0 ? QString::number(leader) : tr("none"), leader);
                setCell(m_partitions, p, 2, brokerList(t.replicasPerPartition[i]));
                setCell(m_partitions, p, 3, brokerList(t.isrPerPartition[i]));
                setCell(m_partitions, p, 4, QLocale().toString(qlonglong(t.messagesPerPartition[i])), qlonglong(t.messagesPerPartition[i]));
            }
        }
    }
    m_partitionsTitle->setText(tr("Partitions of %1").arg(m_selected));
}

void OverviewPage::applySnapshot(const Snapshot &s)
{
    m_newestBrokers = s.brokers;
    // A report holds a row per group partition: one the page lets go of is freed off the GUI thread.
    guiReleaser().release(std::exchange(m_newestReport, s.lag));
    // Behind another tab the tables and the chart wait (their cost grows with the partitions: 1,002 rows at 10
    // groups took the GUI thread 2 ms a refresh).
    drawNowOrWhenShown();
}

void OverviewPage::drawPending()
{
    const std::vector<BrokerState> &brokers = m_newestBrokers;
    std::map<int, int> leaders;
    std::map<int, std::int64_t> messages;
    for (const auto &b : brokers) {
        leaders[b.id] = 0;
        messages[b.id] = 0;
    }
    if (const LagReportPtr &report = m_newestReport) {
        for (const auto &t : report->topics)
            for (std::size_t p = 0; p < t.leaderPerPartition.size(); ++p)
                if (const int l = t.leaderPerPartition[p]; l >= 0) {
                    ++leaders[l];
                    messages[l] += t.messagesPerPartition[p];
                }
        m_topics->setRowCount(static_cast<int>(report->topics.size()));
        int row = 0;
        for (const auto &t : report->topics) {
            setCell(m_topics, row, 0, QString::fromStdString(t.topic));
            setCell(m_topics, row, 1, QString::number(t.partitions), t.partitions);
            setCell(m_topics, row, 2, QLocale().toString(qlonglong(t.messages)), qlonglong(t.messages));
            setCell(m_topics, row, 3, QString::number(t.messagesPerSec, 'f', 0), t.messagesPerSec);
            setCell(m_topics, row, 4, QString::number(t.consumedPerSec, 'f', 0), t.consumedPerSec);
            setCell(m_topics, row, 5, t.skew > 0 ? QString::number(t.skew, 'f', 2) : QStringLiteral("–"), t.skew);
            ++row;
        }
        if (m_selected.isEmpty() && !report->topics.empty())
            m_selected = QStringLiteral("platform.messages.created");
        selectTopic(m_selected);
    }
    m_brokers->setRowCount(static_cast<int>(brokers.size()));
    int row = 0;
    for (const auto &b : brokers) {
        setCell(m_brokers, row, 0, QString::number(b.id), b.id);
        setCell(m_brokers, row, 1, b.up ? tr("up") : tr("down"), b.up);
        m_brokers->item(row, 1)->setForeground(b.up ? QColor(0x1a, 0x7f, 0x37) : QColor(0xcf, 0x22, 0x2e));
        setCell(m_brokers, row, 2, QString::number(leaders[b.id]), leaders[b.id]);
        setCell(m_brokers, row, 3, QLocale().toString(qlonglong(messages[b.id])), qlonglong(messages[b.id]));
        ++row;
    }
    updateChart(leaders, messages);
    m_note->setText(m_newestReport ? QString::fromStdString(m_newestReport->coverage) : tr("Waiting for the lag monitor's first cycle…"));
}

void OverviewPage::updateChart(const std::map<int, int> &leaders, const std::map<int, std::int64_t> &messages)
{
    std::vector<int> ids;
    for (const auto &[id, n] : leaders)
        ids.push_back(id);
    if (ids != m_chartBrokers) {
        m_chartBrokers = ids;
        QStringList cats;
        for (int id : ids)
            cats << tr("broker %1").arg(id);
        m_brokerAxis->clear();
        m_brokerAxis->append(cats);
        m_leaderSet->remove(0, m_leaderSet->count());
        m_messageSet->remove(0, m_messageSet->count());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            m_leaderSet->append(0);
            m_messageSet->append(0);
        }
    }
    // Messages are scaled into the leader axis as a share of the busiest broker, so both fit one chart: the bar
    // heights compare brokers; the exact figures are in the table.
    std::int64_t maxMessages = 0;
    int maxLeaders = 1;
    for (const auto &[id, m] : messages)
        maxMessages = std::max(maxMessages, m);
    for (const auto &[id, n] : leaders)
        maxLeaders = std::max(maxLeaders, n);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        m_leaderSet->replace(static_cast<int>(i), leaders.at(ids[i]));
        const auto m = messages.count(ids[i]) ? messages.at(ids[i]) : 0;
        m_messageSet->replace(static_cast<int>(i), maxMessages > 0 ? double(m) * maxLeaders / double(maxMessages) : 0);
    }
    if (m_series->count() == 1 && maxMessages > 0)
        m_series->append(m_messageSet);
    m_leaderAxis->setRange(0, maxLeaders + 1);
}

std::map<int, double> OverviewPage::leaderBars() const
{
    std::map<int, double> out;
    for (std::size_t i = 0; i < m_chartBrokers.size() && int(i) < m_leaderSet->count(); ++i)
        out[m_chartBrokers[i]] = m_leaderSet->at(static_cast<int>(i));
    return out;
}

std::map<int, double> OverviewPage::messageBars() const
{
    std::map<int, double> out;
    for (std::size_t i = 0; i < m_chartBrokers.size() && int(i) < m_messageSet->count(); ++i)
        out[m_chartBrokers[i]] = m_messageSet->at(static_cast<int>(i));
    return out;
}

void OverviewPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void OverviewPage::retranslateUi()
{
    m_brokers->setHorizontalHeaderLabels({tr("Broker"), tr("State"), tr("Leads partitions"), tr("Messages in them")});
    m_topics->setHorizontalHeaderLabels({tr("Topic"), tr("Partitions"), tr("Messages held"), tr("Messages/s (cluster)"),
                                         tr("Read/s (all groups)"), tr("Skew (max/mean)")});
    m_partitions->setHorizontalHeaderLabels({tr("Partition"), tr("Leader"), tr("Replicas"), tr("In-sync replicas"), tr("Messages held")});
    m_chart->setTitle(tr("Load per broker"));
    m_leaderSet->setLabel(tr("partitions led"));
    m_messageSet->setLabel(tr("messages held (relative)"));
    m_partitionsTitle->setText(tr("Partitions of %1").arg(m_selected));
    m_chartBrokers.clear(); // category labels are re-made in the new language on the next snapshot
}

} // namespace kcl::ui
