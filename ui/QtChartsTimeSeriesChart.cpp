// TimeSeriesChart on Qt Charts: QLineSeries updated with one replace() per series per refresh, a QDateTimeAxis
// for time and a QValueAxis fitted to a "nice" maximum. Animations are off; OpenGL is not used (it crashes on
// the offscreen platform the tests use).
#include "TimeSeriesChart.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

namespace kcl::ui {
namespace {

// A "nice" top for the value axis and a tick count that gives round steps (0, 250, 500, ... not 625).
struct NiceRange {
    double top;
    int ticks;
};

NiceRange niceRange(double v)
{
    if (v <= 10)
        return {10, 6};
    const double base = std::pow(10.0, std::floor(std::log10(v)));
    if (v <= 1 * base) return {1 * base, 5};
    if (v <= 2 * base) return {2 * base, 5};
    if (v <= 3 * base) return {3 * base, 4};
    if (v <= 4 * base) return {4 * base, 5};
    if (v <= 5 * base) return {5 * base, 6};
    if (v <= 6 * base) return {6 * base, 4};
    if (v <= 8 * base) return {8 * base, 5};
    return {10 * base, 5};
}

class QtChartsTimeSeriesChart final : public TimeSeriesChart {
public:
    explicit QtChartsTimeSeriesChart(QWidget *parent)
    {
        m_chart = new QChart;
        m_chart->setAnimationOptions(QChart::NoAnimation);
        m_chart->legend()->setAlignment(Qt::AlignRight);
        m_chart->setMargins(QMargins(4, 4, 12, 8));
        m_chart->setBackgroundRoundness(0);
        QFont titleFont = m_chart->titleFont();
        titleFont.setBold(true);
        m_chart->setTitleFont(titleFont);

        // Parented to the chart at once: a chart that never gets a series still frees its axes.
        m_timeAxis = new QDateTimeAxis(m_chart);
        m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
        m_timeAxis->setTickCount(6);
        m_valueAxis = new QValueAxis(m_chart);
        m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
        m_valueAxis->setTickCount(5);
        m_valueAxis->setMinorTickCount(1);
        m_valueAxis->setRange(0, 10);

        m_view = new QChartView(m_chart, parent); // the view owns the chart
        m_view->setRenderHint(QPainter::Antialiasing, true);
        m_view->setMinimumHeight(160);
    }

    QWidget *widget() override { return m_view; }
    void setTitle(const QString &title) override { m_chart->setTitle(title); }
    void setValueAxisTitle(const QString &title) override { m_valueAxis->setTitleText(title); }
    void setLegendAtBottom(bool bottom) override { m_chart->legend()->setAlignment(bottom ? Qt::AlignBottom : Qt::AlignRight); }

    void setData(const std::vector<Series> &series, qint64 fromMs, qint64 toMs) override
    {
        std::map<QString, bool> listed;
        double maxY = 0;
        for (const Series &s : series) {
            listed[s.key] = true;
            QLineSeries *line = lineFor(s);
            line->replace(s.points);
            for (const QPointF &p : s.points)
                maxY = std::max(maxY, p.y());
        }
        for (auto it = m_series.begin(); it != m_series.end();) {
            if (!listed.count(it->first)) {
                m_chart->removeSeries(it->second);
                delete it->second;
                it = m_series.erase(it);
            } else {
                ++it;
            }
        }
        if (toMs <= fromMs)
            toMs = fromMs + 1000;
        m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
        // As many time labels as fit ("HH:mm:ss" needs about 80 px).
        const int ticks = std::clamp(int(m_chart->plotArea().width() / 80.0), 2, 7);
        if (ticks != m_timeAxis->tickCount())
            m_timeAxis->setTickCount(ticks);
        const NiceRange nice = niceRange(maxY * 1.05);
        if (!qFuzzyCompare(m_valueAxis->max(), nice.top)) {
            m_valueAxis->setRange(0, nice.top);
            m_valueAxis->setTickCount(nice.ticks);
        }
    }

    int seriesCount() const override { return static_cast<int>(m_series.size()); }
    int pointCount(const QString &key) const override
    {
        auto it = m_series.find(key);
        return it == m_series.end() ? -1 : static_cast<int>(it->second->count());
    }

private:
    QLineSeries *lineFor(const Series &s)
    {
        auto it = m_series.find(s.key);
        QLineSeries *line = nullptr;
        if (it == m_series.end()) {
            line = new QLineSeries;
            line->setUseOpenGL(false);
            m_chart->addSeries(line);
            if (m_chart->axes().isEmpty()) {
                // Axes are added with the first series: a QDateTimeAxis added to a shown chart before any series
                // is attached never lays out its labels (Qt 6.4).
                m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
                m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
            }
            line->attachAxis(m_timeAxis);
            line->attachAxis(m_valueAxis);
            m_series.emplace(s.key, line);
        } else {
            line = it->second;
        }
        if (line->name() != s.label)
            line->setName(s.label);
        if (line->color() != s.color) {
            QPen pen(s.color);
            pen.setWidthF(2.0);
            line->setPen(pen);
        }
        return line;
    }

    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    std::map<QString, QLineSeries *> m_series;
};

} // namespace

std::unique_ptr<TimeSeriesChart> createTimeSeriesChart(QWidget *parent)
{
    return std::make_unique<QtChartsTimeSeriesChart>(parent);
}

} // namespace kcl::ui
