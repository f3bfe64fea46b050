#pragma once
// What every page of the main window is: a widget that takes the newest snapshot on the refresh timer and
// names itself for its tab. Pages own their models and charts; the main window only lists them. New pages
// (consumer groups, overview, events, search: issue 6) implement this and are added in MainWindow.
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
};

} // namespace kcl::ui
