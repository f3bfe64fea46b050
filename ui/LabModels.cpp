#include "LabModels.h"

#include "Translations.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>

namespace kcl::ui {

QString labPageTitle(const QString &page)
{
    if (page == QLatin1String("throughput"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Throughput");
    if (page == QLatin1String("notifications"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Notifications");
    if (page == QLatin1String("groups"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Consumer groups");
    if (page == QLatin1String("pipeline"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Pipeline");
    if (page == QLatin1String("events"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Events");
    if (page == QLatin1String("overview"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Overview");
    if (page == QLatin1String("search"))
        return QCoreApplication::translate("kcl::ui::LabPanel", "Search");
    return page;
}

namespace {
QString valueText(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 6) : QStringLiteral("–");
}
} // namespace

QString LabCheckModel::detailText(const LabCheckProgress &c)
{
    // The same facts as LabSession's sentences, in the user's language.
    if (c.state == LabCheckProgress::State::Pending)
        return {};
    const bool passed = c.state == LabCheckProgress::State::Passed;
    if (c.when == "end")
        return tr("value at the end: %1").arg(valueText(c.value));
    if (c.when == "ever")
        return passed ? tr("held at %1 s (value %2)").arg(c.decidedAtSec, 0, 'f', 1).arg(valueText(c.value))
                      : tr("never held during the run");
    return passed ? tr("held on every sample") : tr("broken at %1 s (value %2)").arg(c.decidedAtSec, 0, 'f', 1).arg(valueText(c.value));
}

// ---- steps

void LabStepModel::setProgress(LabProgressPtr progress)
{
    const bool sameShape = m_progress && progress && m_progress->steps.size() == progress->steps.size();
    if (!sameShape)
        beginResetModel();
    m_progress = std::move(progress);
    if (!sameShape)
        endResetModel();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void LabStepModel::retranslate()
{
    beginResetModel();
    endResetModel();
}

int LabStepModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_progress ? 0 : int(m_progress->steps.size());
}

int LabStepModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LabStepModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LabStepProgress &st = m_progress->steps[std::size_t(index.row())];
    if (role == StateRole)
        return int(st.state);
    if (role == Qt::FontRole && index.row() == m_progress->currentStep) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::ForegroundRole && st.state == LabStepProgress::State::Failed)
        return QBrush(QColor(0xcf, 0x22, 0x2e));
    if (role == Qt::ToolTipRole && !st.error.empty())
        return QString::fromStdString(st.error);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case State:
        return st.state == LabStepProgress::State::Done     ? tr("done")
               : st.state == LabStepProgress::State::Failed ? tr("failed")
                                                             : tr("pending");
    case At: return tr("%1 s").arg(st.atSec);
    case Action: return QString::fromStdString(st.text);
    case Page: return labPageTitle(QString::fromStdString(st.page));
    default: return {};
    }
}

QVariant LabStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case State: return tr("State");
    case At: return tr("At");
    case Action: return tr("Step");
    case Page: return tr("Page");
    default: return {};
    }
}

// ---- checks

void LabCheckModel::setProgress(const Lab &lab, LabProgressPtr progress)
{
    const bool sameShape = m_progress && progress && m_progress->checks.size() == progress->checks.size()
                           && m_explanations.size() == lab.checks.size();
    if (!sameShape)
        beginResetModel();
    m_explanations.clear();
    for (const LabCheck &c : lab.checks)
        m_explanations.push_back(c.explain);
    m_progress = std::move(progress);
    if (!sameShape)
        endResetModel();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void LabCheckModel::retranslate()
{
    beginResetModel();
    endResetModel();
}

LabCheckProgress::State LabCheckModel::state(int row) const
{
    return m_progress && row >= 0 && row < rowCount() ? m_progress->checks[std::size_t(row)].state : LabCheckProgress::State::Pending;
}

int LabCheckModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_progress ? 0 : int(m_progress->checks.size());
}

int LabCheckModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LabCheckModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LabCheckProgress &c = m_progress->checks[std::size_t(index.row())];
    const QString explanation =
        std::size_t(index.row()) < m_explanations.size() ? m_explanations[std::size_t(index.row())].in(currentLanguage()) : QString();
    if (role == StateRole)
        return int(c.state);
    if (role == DetailRole)
        return detailText(c);
    if (role == Qt::BackgroundRole) {
        if (c.state == LabCheckProgress::State::Passed)
            return QBrush(QColor(0xda, 0xfb, 0xe1)); // green
        if (c.state == LabCheckProgress::State::Failed)
            return QBrush(QColor(0xff, 0xeb, 0xe9)); // red
        return {};
    }
    if (role == Qt::ToolTipRole)
        return explanation;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case State:
        return c.state == LabCheckProgress::State::Passed   ? tr("✔ passed")
               : c.state == LabCheckProgress::State::Failed ? tr("✘ failed")
                                                             : tr("… pending");
    case Check: {
        QString text = QStringLiteral("%1 %2 %3").arg(QString::fromStdString(c.metric), QString::fromStdString(c.op),
                                                      QString::number(c.expected, 'g', 6))
                       + QStringLiteral(" (%1)").arg(c.when == "end" ? tr("at the end") : c.when == "always" ? tr("always") : tr("at some point"));
        if (!explanation.isEmpty())
            text += QLatin1Char('\n') + explanation;
        if (const QString detail = detailText(c); !detail.isEmpty())
            text += QStringLiteral("\n→ ") + detail;
        return text;
    }
    case Value: return valueText(c.value);
    default: return {};
    }
}

QVariant LabCheckModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case State: return tr("Result");
    case Check: return tr("Check and what to see");
    case Value: return tr("Value");
    default: return {};
    }
}

} // namespace kcl::ui
