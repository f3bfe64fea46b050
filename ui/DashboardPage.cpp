#include "DashboardPage.h"

namespace kcl::ui {

void DashboardPage::drawNowOrWhenShown()
{
    // isVisibleTo(window()): on the current tab, even while the window itself is not on screen yet.
    if (isVisibleTo(window())) {
        m_drawPending = false;
        drawPending();
    } else {
        m_drawPending = true;
    }
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_drawPending) {
        m_drawPending = false;
        drawPending();
    }
}

} // namespace kcl::ui
