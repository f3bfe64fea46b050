#pragma once
// The lab panel's two lists as item models, fed with the lab's progress from the snapshots: the steps
// (pending / done / failed, the current one in bold) and the checklist (pending / passed in green / failed in
// red, with the value, why, and what the student should see).
#include "labs/Lab.h"
#include "labs/LabProgress.h"

#include <QAbstractTableModel>

namespace kcl::ui {

class LabStepModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { State, At, Action, Page, ColumnCount };
    static constexpr int StateRole = Qt::UserRole + 1; // LabStepProgress::State as int

    using QAbstractTableModel::QAbstractTableModel;
    void setProgress(LabProgressPtr progress);
    LabProgressPtr progress() const { return m_progress; }
    int currentStep() const { return m_progress ? m_progress->currentStep : -1; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void retranslate();

private:
    LabProgressPtr m_progress;
};

class LabCheckModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Check: the comparison, what the student should see, and (once decided) why it passed or failed.
    enum Column { State, Value, Check, ColumnCount };
    static constexpr int StateRole = Qt::UserRole + 1;  // LabCheckProgress::State as int
    static constexpr int DetailRole = Qt::UserRole + 2; // detailText()

    using QAbstractTableModel::QAbstractTableModel;
    // lab: for the explanations (in the current language); progress: states and values.
    void setProgress(const Lab &lab, LabProgressPtr progress);
    LabCheckProgress::State state(int row) const;
    // Why a decided check passed or failed, translated ("" while pending).
    static QString detailText(const LabCheckProgress &check);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void retranslate();

private:
    std::vector<LabText> m_explanations;
    LabProgressPtr m_progress;
};

// The translated name of a page a lab names ("throughput" → the Throughput tab's title).
QString labPageTitle(const QString &page);

} // namespace kcl::ui
