#pragma once
// The throughput page: messages in and out per second per topic over time (two charts, 1 s resolution, the
// last 5, 15 or 60 minutes) and a table of the current figures. It owns its history, its model and its charts;
// it receives snapshots from the main window's refresh timer.
#include "ThroughputHistory.h"
#include "DashboardPage.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QTableView;

namespace kcl::ui {

class ThroughputTableModel;
class TimeSeriesChart;

class ThroughputPage : public DashboardPage {
    Q_OBJECT
public:
    explicit ThroughputPage(QWidget *parent = nullptr);
    ~ThroughputPage() override;

    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    ThroughputTableModel *model() const { return m_model; }
    const ThroughputHistory &history() const { return m_history; }
    TimeSeriesChart *inChart() const { return m_inChart.get(); }
    TimeSeriesChart *outChart() const { return m_outChart.get(); }
    int windowMinutes() const;
    void setWindowMinutes(int minutes);
    static QColor colorForTopic(int index);

protected:
    void changeEvent(QEvent *event) override;
    void drawPending() override;

private:
    void retranslateUi();
    void redrawCharts();
    void updateSummary();
    ThroughputHistory m_history;
    ThroughputTableModel *m_model = nullptr;
    std::unique_ptr<TimeSeriesChart> m_inChart, m_outChart;
    QLabel *m_summary = nullptr;
    QLabel *m_windowLabel = nullptr;
    double m_totalIn = 0, m_totalOut = 0;
    QComboBox *m_window = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace kcl::ui
