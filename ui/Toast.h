#pragma once
// Non-blocking toasts for new mentions ("새 멘션" / "New mention"): a small panel in the corner of its parent
// that fades out by itself. Rate-limited: at most one toast per interval; mentions that arrive in between are
// gathered into the next one ("and 12 more"). Never a modal dialog, never a top-level window.
#include <QElapsedTimer>
#include <QFrame>
#include <QTimer>

class QLabel;

namespace kcl::ui {

class MentionToast : public QFrame {
    Q_OBJECT
public:
    explicit MentionToast(QWidget *parent);

    void setEnabledToasts(bool enabled) { m_enabled = enabled; }
    bool toastsEnabled() const { return m_enabled; }
    void setMinIntervalMs(int ms) { m_minIntervalMs = ms; }
    int shownCount() const { return m_shown; }
    QString currentText() const;

public Q_SLOTS:
    // New mentions arrived (count, and the newest of them).
    void notify(int count, const QString &recipient, const QString &author, const QString &channel, const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void showPending();
    void reposition();
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QTimer m_hideTimer, m_pendingTimer;
    QElapsedTimer m_sinceLast;
    bool m_enabled = true;
    int m_minIntervalMs = 2000;
    int m_pendingCount = 0;
    QString m_recipient, m_author, m_channel, m_text;
    int m_shown = 0;
};

} // namespace kcl::ui
