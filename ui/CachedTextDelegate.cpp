#include "CachedTextDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace kcl::ui {

CachedTextDelegate::CachedTextDelegate(int capacity, QObject *parent)
    : QStyledItemDelegate(parent), m_capacity(std::max(16, capacity))
{
}

const QStaticText &CachedTextDelegate::laidOut(const QString &text, int width, const QFont &font,
                                               Qt::TextElideMode mode) const
{
    if (font != m_font) {
        m_newer.clear();
        m_older.clear();
        m_font = font;
    }
    Key key{text, width, int(mode)};
    if (auto it = m_newer.constFind(key); it != m_newer.constEnd()) {
        ++m_layoutsReused;
        return *it;
    }
    if (m_newer.size() >= m_capacity / 2) {
        m_older = std::move(m_newer);
        m_newer.clear();
    }
    if (auto it = m_older.constFind(key); it != m_older.constEnd()) {
        ++m_layoutsReused;
        return *m_newer.insert(key, *it);
    }
    ++m_layoutsMade;
    QStaticText laid(QFontMetrics(font).elidedText(text, mode, width));
    laid.setTextFormat(Qt::PlainText);
    laid.prepare(QTransform(), font);
    return *m_newer.insert(std::move(key), std::move(laid));
}

void CachedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    if (opt.text.isEmpty() || opt.features.testFlag(QStyleOptionViewItem::WrapText)) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    // Where the style would put the text (measured with the text in place), the same margin it leaves.
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect r = textRect.adjusted(margin, 0, -margin, 0);
    const QString text = opt.text;
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background, selection, focus, icon
    if (r.width() <= 0)
        return;

    const QStaticText &laid = laidOut(text, r.width(), opt.font, opt.textElideMode);
    // Placed as the style places its text layout: the line's horizontal alignment to the fraction of a pixel,
    // the vertical one in whole pixels.
    const QSizeF size = laid.size();
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    qreal x = r.left();
    if (align & Qt::AlignRight)
        x += r.width() - size.width();
    else if (align & Qt::AlignHCenter)
        x += (r.width() - size.width()) / 2;
    const int y = QStyle::alignedRect(Qt::LayoutDirectionAuto, align & Qt::AlignVertical_Mask, size.toSize(), r).top();

    // The colours the style uses for item text.
    QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const QPalette::ColorRole role = opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text;
    painter->save();
    painter->setClipRect(r);
    painter->setPen(opt.palette.color(group, role));
    painter->setFont(opt.font);
    painter->drawStaticText(QPointF(x, y), laid);
    painter->restore();
}

} // namespace kcl::ui
