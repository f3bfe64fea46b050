#pragma once
// The overview page (issue 6): the cluster's brokers (up or down, partitions they lead, messages in those
// partitions), its topics (partitions, messages held, messages/s from end-offset deltas, skew), and for the
// selected topic every partition with its leader, replicas and in-sync replicas; a bar chart of leaders and
// messages per broker shows how evenly the cluster is loaded. Figures come from the lag monitor's cycle, i.e.
// from the cluster itself, not from the app's own clients.
#include "DashboardPage.h"

#include <map>

class QBarSet;
class QBarSeries;
class QChart;
class QChartView;
class QBarCategoryAxis;
class QValueAxis;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace kcl::ui {

class OverviewPage : public DashboardPage {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    QStandardItemModel *brokersModel() const { return m_brokers; }
    QStandardItemModel *topicsModel() const { return m_topics; }
    QStandardItemModel *partitionsModel() const { return m_partitions; }
    void selectTopic(const QString &topic);
    QString selectedTopic() const { return m_selected; }
    // The chart's bars, for tests: leaders and messages per broker id.
    std::map<int, double> leaderBars() const;
    std::map<int, double> messageBars() const;

protected:
    void changeEvent(QEvent *event) override;
    void drawPending() override; // the newest snapshot's brokers and report into the tables and the chart

private:
    void retranslateUi();
    void updateChart(const std::map<int, int> &leaders, const std::map<int, std::int64_t> &messages);

    QLabel *m_note = nullptr;
    QStandardItemModel *m_brokers = nullptr;
    QStandardItemModel *m_topics = nullptr;
    QStandardItemModel *m_partitions = nullptr;
    QTableView *m_brokersView = nullptr;
    QTableView *m_topicsView = nullptr;
    QTableView *m_partitionsView = nullptr;
    QLabel *m_partitionsTitle = nullptr;
    QChart *m_chart = nullptr;
    QChartView *m_chartView = nullptr;
    QBarSeries *m_series = nullptr;
    QBarSet *m_leaderSet = nullptr;
    QBarSet *m_messageSet = nullptr;
    QBarCategoryAxis *m_brokerAxis = nullptr;
    QValueAxis *m_leaderAxis = nullptr;
    std::vector<int> m_chartBrokers;
    QString m_selected;
    // The newest snapshot's part this page shows.
    std::vector<BrokerState> m_newestBrokers;
    LagReportPtr m_newestReport;
};

} // namespace kcl::ui
