#pragma once
// The events page (issue 6): a live tail of any topic with each record decoded by the app's strict parser (raw
// JSON and headers of the selected record on demand), and a form to produce an event by hand: the guide's
// envelope as JSON, started from a valid example of the chosen type, checked with the same parser as it is typed
// (the field at fault is named), sent only when valid, to its type's topic with its key.
#include "DashboardPage.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace kcl::ui {

class EngineClient;

class TailModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Partition, Offset, Key, Type, Summary, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void setRecords(const std::vector<TailRecord> &records); // oldest first in, newest first shown
    const TailRecord *record(int row) const;

private:
    std::vector<TailRecord> m_records; // newest first
};

class EventsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit EventsPage(EngineClient *engine, QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    TailModel *model() const { return m_model; }
    void tailTopic(const QString &topic);
    void setDraft(const QString &json);          // as if typed into the form
    bool draftValid() const { return m_draftValid; }
    QString validationText() const;
    bool send();                                 // the Send button: false when the draft is not valid
    QString lastSent() const { return m_lastSent; }
    void selectRow(int row);
    QString rawText() const;                     // the details pane

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void validateDraft();
    void loadSample();
    void showDetails();

    EngineClient *m_engine;
    TailModel *m_model = nullptr;
    QLabel *m_topicLabel = nullptr;
    QComboBox *m_topic = nullptr;
    QLabel *m_tailStatus = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QLabel *m_formLabel = nullptr;
    QComboBox *m_type = nullptr;
    QPlainTextEdit *m_draft = nullptr;
    QLabel *m_validation = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_sentLabel = nullptr;
    bool m_draftValid = false;
    QString m_lastSent;
    QString m_shownTopic;
    QElapsedTimer m_lastTailRequest;
    QString m_tailError;
};

} // namespace kcl::ui
