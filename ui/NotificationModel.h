#pragma once
// The live feed of mention notifications: newest first, bounded. Each refresh diffs the snapshot's recent
// notifications against what was already seen (by notification id) and inserts only the new ones, in one batch
// (one beginInsertRows per refresh), then trims the oldest rows in one batch. A row's shown text is made the first
// time the view asks for it and kept: every visible row repaints when new ones arrive on top, while most rows
// (hundreds a second, the page often behind another tab) are never shown at all.
#include "metrics/Snapshot.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <deque>
#include <string>
#include <unordered_set>

namespace kcl::ui {

class NotificationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Recipient, Author, Channel, Text, LatencyMs, Time, ColumnCount };
    static constexpr int RawValueRole = Qt::UserRole + 1;
    static constexpr int NotificationIdRole = Qt::UserRole + 2;
    static constexpr int kDefaultMaxRows = 500;

    explicit NotificationModel(int maxRows = kDefaultMaxRows, QObject *parent = nullptr);

    // recent: oldest first (as in Snapshot::recentNotifications). Returns how many rows were inserted.
    int update(const std::vector<NotificationRecord> &recent);
    int maxRows() const { return m_maxRows; }
    const NotificationRecord &record(int row) const { return m_rows.at(static_cast<std::size_t>(row)).record; }
    qint64 totalInserted() const { return m_totalInserted; }
    void clear();
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each batch that inserted rows: how many, and the newest one.
    void notificationsArrived(int count, const QString &recipient, const QString &author, const QString &channel,
                              const QString &text);

private:
    struct Row {
        NotificationRecord record;
        mutable QString shown[ColumnCount]; // DisplayRole text per column, made on first use
        mutable bool shownMade = false;
    };
    static void makeShownText(const Row &row);
    void remember(const std::string &id, std::size_t bound);
    int m_maxRows;
    std::deque<Row> m_rows;                         // newest first
    std::unordered_set<std::string> m_seen;         // ids seen recently (bounded, see m_seenOrder)
    std::deque<std::string> m_seenOrder;
    qint64 m_totalInserted = 0;
};

// Filters the feed by recipient (case-insensitive substring of the recipient id).
class NotificationFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit NotificationFilterModel(QObject *parent = nullptr);
    void setRecipientFilter(const QString &text);
    QString recipientFilter() const { return m_recipient; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_recipient;
};

} // namespace kcl::ui
