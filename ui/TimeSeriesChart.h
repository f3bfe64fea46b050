#pragma once
// A small interface over the charting library. Qt Charts is deprecated from Qt 6.10 in favour of Qt Graphs:
// pages talk only to this interface, so moving means writing one new implementation.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <memory>
#include <vector>

class QWidget;

namespace kcl::ui {

class TimeSeriesChart {
public:
    struct Series {
        QString key;            // stable identity (e.g. the topic name)
        QString label;          // legend text
        QColor color;
        QList<QPointF> points;  // x = ms since epoch, y = value; already decimated
    };

    virtual ~TimeSeriesChart() = default;
    virtual QWidget *widget() = 0;
    virtual void setTitle(const QString &title) = 0;
    virtual void setValueAxisTitle(const QString &title) = 0;
    virtual void setLegendAtBottom(bool bottom) = 0; // default: at the right
    // Replaces every series' points (one replace per series), sets the time range [fromMs, toMs] and fits the
    // value axis. Series not listed are removed.
    virtual void setData(const std::vector<Series> &series, qint64 fromMs, qint64 toMs) = 0;
    // For tests and diagnostics.
    virtual int seriesCount() const = 0;
    virtual int pointCount(const QString &key) const = 0;
};

// The current implementation (Qt Charts, animations off, no OpenGL).
std::unique_ptr<TimeSeriesChart> createTimeSeriesChart(QWidget *parent);

} // namespace kcl::ui
