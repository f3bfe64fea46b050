#include "NotificationModel.h"

#include "Format.h"

#include <QDateTime>
#include <algorithm>

namespace kcl::ui {

NotificationModel::NotificationModel(int maxRows, QObject *parent)
    : QAbstractTableModel(parent), m_maxRows(std::max(1, maxRows))
{
}

void NotificationModel::remember(const std::string &id, std::size_t bound)
{
    m_seen.insert(id);
    m_seenOrder.push_back(id);
    while (m_seenOrder.size() > bound) {
        m_seen.erase(m_seenOrder.front());
        m_seenOrder.pop_front();
    }
}

int NotificationModel::update(const std::vector<NotificationRecord> &recent)
{
    // The seen set must cover at least what the snapshot can show again, and what the table holds.
    const std::size_t seenBound = 2 * std::max<std::size_t>(recent.size(), static_cast<std::size_t>(m_maxRows));
    std::vector<const NotificationRecord *> fresh; // newest first
    for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
        if (m_seen.count(it->notificationId))
            continue;
        fresh.push_back(&*it);
    }
    if (fresh.empty())
        return 0;
    for (auto it = fresh.rbegin(); it != fresh.rend(); ++it)
        remember((*it)->notificationId, seenBound);
    if (fresh.size() > static_cast<std::size_t>(m_maxRows))
        fresh.resize(static_cast<std::size_t>(m_maxRows)); // keep the newest
    const int n = static_cast<int>(fresh.size());

    beginInsertRows({}, 0, n - 1);
    for (auto it = fresh.rbegin(); it != fresh.rend(); ++it)
        m_rows.push_front(Row{**it, {}, false});
    endInsertRows();
    m_totalInserted += n;

    if (m_rows.size() > static_cast<std::size_t>(m_maxRows)) {
        beginRemoveRows({}, m_maxRows, static_cast<int>(m_rows.size()) - 1);
        m_rows.resize(static_cast<std::size_t>(m_maxRows));
        endRemoveRows();
    }
    const NotificationRecord &newest = *fresh.front();
    Q_EMIT notificationsArrived(n, QString::fromStdString(newest.recipientId), QString::fromStdString(newest.authorId),
                                QString::fromStdString(newest.channelId), QString::fromStdString(newest.text));
    return n;
}

void NotificationModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_seen.clear();
    m_seenOrder.clear();
    endResetModel();
}

void NotificationModel::makeShownText(const Row &row)
{
    row.shownMade = true;
    const NotificationRecord &r = row.record;
    row.shown[Recipient] = QString::fromStdString(r.recipientId);
    row.shown[Author] = QString::fromStdString(r.authorId);
    row.shown[Channel] = QString::fromStdString(r.channelId);
    row.shown[Text] = QString::fromStdString(r.text).simplified();
    row.shown[LatencyMs] = formatMs(r.latencyMs);
    row.shown[Time] = QDateTime::fromMSecsSinceEpoch(r.notifiedAtMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

void NotificationModel::retranslate()
{
    // The latency's decimal separator follows the language's locale: made again when next shown.
    for (Row &row : m_rows)
        row.shownMade = false;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, LatencyMs), index(rowCount() - 1, LatencyMs), {Qt::DisplayRole});
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

int NotificationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int NotificationModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NotificationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const NotificationRecord &r = row.record;
    switch (role) {
    case Qt::DisplayRole:
        if (!row.shownMade)
            makeShownText(row);
        return row.shown[index.column()];
    case RawValueRole:
        switch (index.column()) {
        case Recipient: return QString::fromStdString(r.recipientId);
        case Author: return QString::fromStdString(r.authorId);
        case Channel: return QString::fromStdString(r.channelId);
        case Text: return QString::fromStdString(r.text);
        case LatencyMs: return r.latencyMs;
        case Time: return qint64(r.notifiedAtMs);
        }
        return {};
    case NotificationIdRole:
        return QString::fromStdString(r.notificationId);
    case Qt::ToolTipRole:
        if (index.column() == Text)
            return QString::fromStdString(r.text);
        if (index.column() == LatencyMs)
            return tr("Created at %1, notified at %2")
                .arg(QDateTime::fromMSecsSinceEpoch(r.createdAtMs).toString(QStringLiteral("HH:mm:ss.zzz")),
                     QDateTime::fromMSecsSinceEpoch(r.notifiedAtMs).toString(QStringLiteral("HH:mm:ss.zzz")));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == LatencyMs || index.column() == Time)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    return {};
}

QVariant NotificationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Recipient: return tr("Recipient");
    case Author: return tr("Author");
    case Channel: return tr("Channel");
    case Text: return tr("Message");
    case LatencyMs: return tr("Latency (ms)");
    case Time: return tr("Notified at");
    }
    return {};
}

NotificationFilterModel::NotificationFilterModel(QObject *parent) : QSortFilterProxyModel(parent) {}

void NotificationFilterModel::setRecipientFilter(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_recipient)
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
    beginFilterChange();
    m_recipient = t;
    endFilterChange(QSortFilterProxyModel::Direction::Rows);
#else
    m_recipient = t;
    invalidateFilter();
#endif
}

bool NotificationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_recipient.isEmpty())
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, NotificationModel::Recipient, sourceParent);
    return idx.data(NotificationModel::RawValueRole).toString().contains(m_recipient, Qt::CaseInsensitive);
}

} // namespace kcl::ui
