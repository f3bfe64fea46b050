#include "ThroughputPage.h"

#include <QShowEvent>

#include "Format.h"
#include "ThroughputTableModel.h"
#include "TimeSeriesChart.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>

namespace kcl::ui {

ThroughputPage::ThroughputPage(QWidget *parent) : DashboardPage(parent), m_model(new ThroughputTableModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *top = new QHBoxLayout;
    m_windowLabel = new QLabel(this);
    m_window = new QComboBox(this);
    for (int minutes : {5, 15, 60})
        m_window->addItem(QString(), minutes);
    m_window->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_windowLabel->setBuddy(m_window);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("throughputSummary"));
    top->addWidget(m_summary);
    top->addStretch(1);
    top->addWidget(m_windowLabel);
    top->addWidget(m_window);
    layout->addLayout(top);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *charts = new QWidget(splitter);
    auto *chartsLayout = new QHBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_inChart = createTimeSeriesChart(charts);
    m_outChart = createTimeSeriesChart(charts);
    chartsLayout->addWidget(m_inChart->widget());
    chartsLayout->addWidget(m_outChart->widget());
    splitter->addWidget(charts);

    m_table = new QTableView(splitter);
    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("throughputTable"));
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ThroughputTableModel::Topic, QHeaderView::Stretch);
    // Room for the guide's five topics and the dead-letter topic without scrolling.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              7 * m_table->verticalHeader()->defaultSectionSize() + 4);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { redrawCharts(); });
    retranslateUi();
}

ThroughputPage::~ThroughputPage() = default;

QColor ThroughputPage::colorForTopic(int index)
{
    static constexpr QRgb kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f};
    return QColor(kPalette[static_cast<std::size_t>(index) % std::size(kPalette)]);
}

int ThroughputPage::windowMinutes() const
{
    return m_window->currentData().toInt();
}

void ThroughputPage::setWindowMinutes(int minutes)
{
    const int i = m_window->findData(minutes);
    if (i >= 0)
        m_window->setCurrentIndex(i);
}

void ThroughputPage::applySnapshot(const Snapshot &snapshot)
{
    m_model->update(snapshot);
    m_totalIn = m_totalOut = 0;
    for (const TopicRates &t : snapshot.topics) {
        m_totalIn += t.msgsInPerSec;
        m_totalOut += t.msgsOutPerSec;
    }
    updateSummary();
    // At most once per second of data, whatever the message rate; behind another tab only when it is shown again.
    if (m_history.add(snapshot))
        drawNowOrWhenShown();
}

void ThroughputPage::drawPending()
{
    redrawCharts();
}

void ThroughputPage::redrawCharts()
{
    const qint64 toSec = m_history.latestSec();
    if (toSec < 0)
        return;
    const qint64 fromSec = toSec - qint64(windowMinutes()) * 60;
    // Until the window is full, show the history there is (from the first sample), not an empty strip.
    const qint64 axisFromSec = std::max(fromSec, std::min(m_history.oldestSec(), toSec - 30));
    const QStringList topics = m_history.topics();
    for (auto direction : {ThroughputHistory::Direction::In, ThroughputHistory::Direction::Out}) {
        TimeSeriesChart *chart = direction == ThroughputHistory::Direction::In ? m_inChart.get() : m_outChart.get();
        const int maxPoints = std::clamp(chart->widget()->width(), 100, 2000); // about one point per pixel
        std::vector<TimeSeriesChart::Series> series;
        series.reserve(static_cast<std::size_t>(topics.size()));
        for (int i = 0; i < topics.size(); ++i) {
            QString label = topics[i];
            if (label.startsWith(QLatin1String("platform.")))
                label = label.mid(9);
            series.push_back({topics[i], label, colorForTopic(i), m_history.points(topics[i], direction, fromSec, maxPoints)});
        }
        chart->setData(series, axisFromSec * 1000, toSec * 1000);
    }
}

void ThroughputPage::updateSummary()
{
    m_summary->setText(tr("All topics: %1 messages/s in, %2 messages/s out").arg(formatRate(m_totalIn), formatRate(m_totalOut)));
}

QString ThroughputPage::title() const
{
    return tr("Throughput");
}

void ThroughputPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void ThroughputPage::retranslateUi()
{
    m_windowLabel->setText(tr("&Time window:"));
    m_window->setItemText(0, tr("Last 5 minutes"));
    m_window->setItemText(1, tr("Last 15 minutes"));
    m_window->setItemText(2, tr("Last 60 minutes"));
    m_inChart->setTitle(tr("Messages in per second"));
    m_outChart->setTitle(tr("Messages out per second"));
    m_inChart->setValueAxisTitle(tr("messages/s"));
    m_outChart->setValueAxisTitle(tr("messages/s"));
    m_model->retranslate();
    updateSummary();
}

} // namespace kcl::ui
