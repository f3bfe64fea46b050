#pragma once
// An item delegate that keeps each cell's laid-out text (QStaticText) across repaints, keyed by the text and the
// width it is shown in. A live feed inserts rows on top a few times a second, which moves and repaints every
// visible row: with the stock delegate each repaint shaped every cell's text again (HarfBuzz) and elided it, three
// quarters of the GUI thread's time on the notifications page at 1,000 partitions. With this delegate a repaint
// lays out only the cells it has not shown before. Single-line text only (the view's word wrap must be off).
#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace kcl::ui {

class CachedTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    // Keeps about `capacity` laid-out texts (the older half is dropped when full).
    explicit CachedTextDelegate(int capacity = 4096, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Texts laid out since the delegate was made (cache misses), for tests and benchmarks.
    qint64 layoutsMade() const { return m_layoutsMade; }
    // Texts drawn from the cache since the delegate was made.
    qint64 layoutsReused() const { return m_layoutsReused; }
    // Laid-out texts held now (at most the capacity).
    int cachedLayouts() const { return int(m_newer.size() + m_older.size()); }

private:
    struct Key {
        QString text;
        int width = 0;
        int elideMode = 0;
        bool operator==(const Key &o) const { return width == o.width && elideMode == o.elideMode && text == o.text; }
    };
    friend size_t qHash(const Key &k, size_t seed) { return qHashMulti(seed, k.text, k.width, k.elideMode); }

    const QStaticText &laidOut(const QString &text, int width, const QFont &font, Qt::TextElideMode mode) const;

    int m_capacity;
    // Two generations: a hit in the older one moves to the newer; when the newer is full it becomes the older.
    mutable QHash<Key, QStaticText> m_newer, m_older;
    mutable QFont m_font; // the texts were laid out in this font; another font empties the cache
    mutable qint64 m_layoutsMade = 0, m_layoutsReused = 0;
};

} // namespace kcl::ui
