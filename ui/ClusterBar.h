#pragma once
// The bar along the top of the main window: which cluster and its state, brokers up/down, produced per second,
// consumed per second by the notification service, notifications and their latency. Tiles of title + value.
// At its right end, two buttons: start/stop the embedded cluster (the engine, through EngineClient) and start/stop
// the local lab stack (LabStack runs labstack.sh asynchronously; the button shows its progress, a failure goes out
// through errorOccurred for the main window's banner, success moves the engine to the local profile).
#include "metrics/Snapshot.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QTimer>
#include <array>

class QLabel;
class QPushButton;

namespace kcl {
class LabStack;
}

namespace kcl::ui {

class EngineClient;

class ClusterBar : public QFrame {
    Q_OBJECT
public:
    enum Tile { Cluster, Brokers, Produced, Consumed, Notifications, Latency, TileCount };
    enum class EngineState { Starting, Running, Stopped };

    enum class StackState { Idle, Starting, Up, Stopping };

    // engine may be null (no buttons' effect beyond their own state).
    explicit ClusterBar(EngineClient *engine, QWidget *parent = nullptr);

    void applySnapshot(const Snapshot &snapshot);
    void setEngineState(EngineState state, const QString &clusterDescription = {});
    QString titleText(Tile tile) const;
    QString valueText(Tile tile) const;
    QPushButton *embeddedButton() const { return m_embeddedButton; }
    QPushButton *stackButton() const { return m_stackButton; }
    StackState stackState() const { return m_stackState; }
    EngineState engineState() const { return m_state; }

Q_SIGNALS:
    // For the main window's error banner: the local stack did not start or stop (the script's own message).
    void errorOccurred(const QString &source, const QString &errorName, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void render();
    void renderButtons();
    void onEmbeddedClicked();
    void onStackClicked();
    void onStackFinished(int exitCode, const QString &output);
    struct TileWidgets {
        QLabel *title = nullptr;
        QLabel *value = nullptr;
    };
    std::array<TileWidgets, TileCount> m_tiles{};
    EngineState m_state = EngineState::Starting;
    QString m_cluster;
    Snapshot m_snapshot; // the figures shown (no feeds), kept to re-render after a language change
    bool m_haveSnapshot = false;
    EngineClient *m_engine = nullptr;
    QPushButton *m_embeddedButton = nullptr, *m_stackButton = nullptr;
    LabStack *m_stack = nullptr;
    StackState m_stackState = StackState::Idle;
    QElapsedTimer m_stackSince;
    QTimer m_stackTicker; // refreshes "Starting local stack… 12 s" once a second
};

} // namespace kcl::ui
