#pragma once
// What every page of the main window is: a widget that takes the newest snapshot on the refresh timer and
// names itself for its tab. Pages own their models and charts; the main window only lists them.
#include "metrics/Snapshot.h"

#include <QWidget>

namespace kcl::ui {

class DashboardPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    // Called a few times a second at most, with the newest snapshot only; must cost the same at any message rate.
    virtual void applySnapshot(const Snapshot &snapshot) = 0;
    // The tab title, translated (re-read after a language change).
    virtual QString title() const = 0;

protected:
    // Draws now (drawPending) when the page is on screen, otherwise when its tab is next chosen. Tables and charts
    // whose cost grows with the cluster wait behind another tab; what must not be lost (histories) is recorded
    // in applySnapshot whether the page is shown or not.
    void drawNowOrWhenShown();
    // Draws the newest state the page keeps.
    virtual void drawPending() {}
    void showEvent(QShowEvent *event) override;

private:
    bool m_drawPending = false;
};

} // namespace kcl::ui
