#pragma once
// The bar along the top of the main window: which cluster and its state, brokers up/down, produced per second,
// consumed per second by the notification service, notifications and their latency. Tiles of title + value.
#include "metrics/Snapshot.h"

#include <QFrame>
#include <array>

class QLabel;

namespace kcl::ui {

class ClusterBar : public QFrame {
    Q_OBJECT
public:
    enum Tile { Cluster, Brokers, Produced, Consumed, Notifications, Latency, TileCount };
    enum class EngineState { Starting, Running, Stopped };

    explicit ClusterBar(QWidget *parent = nullptr);

    void applySnapshot(const Snapshot &snapshot);
    void setEngineState(EngineState state, const QString &clusterDescription = {});
    QString titleText(Tile tile) const;
    QString valueText(Tile tile) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void render();
    struct TileWidgets {
        QLabel *title = nullptr;
        QLabel *value = nullptr;
    };
    std::array<TileWidgets, TileCount> m_tiles{};
    EngineState m_state = EngineState::Starting;
    QString m_cluster;
    Snapshot m_snapshot; // the figures shown (no feeds), kept to re-render after a language change
    bool m_haveSnapshot = false;
};

} // namespace kcl::ui
