#pragma once
// The notifications page: the live feed of mention notifications (newest first, bounded), a filter by
// recipient, and a line of totals and latency. It owns its model; the main window hands it snapshots.
#include "DashboardPage.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace kcl::ui {

class NotificationModel;
class NotificationFilterModel;

class NotificationsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit NotificationsPage(QWidget *parent = nullptr);

    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    NotificationModel *model() const { return m_model; }
    NotificationFilterModel *filterModel() const { return m_filter; }
    void setRecipientFilter(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSummary();
    NotificationModel *m_model = nullptr;
    NotificationFilterModel *m_filter = nullptr;
    QLabel *m_filterLabel = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    qint64 m_total = 0;
    LatencySummary m_latency;
};

} // namespace kcl::ui
