#pragma once
// The consumer-groups page: every group with its members, lag, time lag and status (with the reason), and for
// the selected group each partition with its owner, committed and end offsets and lag. A note says what the
// lag monitor can see on this cluster. (Issue 6 adds the assignment grid, lag over time and the rebalance
// timeline here.)
#include "DashboardPage.h"
#include "KeyedHistory.h"

#include <memory>

class QLabel;
class QTableView;

namespace kcl::ui {

class ConsumerGroupsModel;
class PartitionLagModel;
class TimeSeriesChart;

class ConsumerGroupsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit ConsumerGroupsPage(QWidget *parent = nullptr);
    ~ConsumerGroupsPage() override;

    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    ConsumerGroupsModel *groupsModel() const { return m_groups; }
    PartitionLagModel *partitionsModel() const { return m_partitions; }
    void selectGroup(const QString &groupId);
    const KeyedHistory &lagHistory() const { return m_lagHistory; }
    TimeSeriesChart *lagChart() const { return m_lagChart.get(); }

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void drawPending() override;

private:
    void retranslateUi();
    void onSelectionChanged();
    ConsumerGroupsModel *m_groups = nullptr;
    PartitionLagModel *m_partitions = nullptr;
    QTableView *m_groupsView = nullptr;
    QTableView *m_partitionsView = nullptr;
    QLabel *m_coverage = nullptr;
    QLabel *m_partitionsTitle = nullptr;
    QString m_coverageText;
    KeyedHistory m_lagHistory;
    std::unique_ptr<TimeSeriesChart> m_lagChart;
    void redrawLagChart();
};

} // namespace kcl::ui
