#pragma once
// A dismissible banner for errors from core: what happened (librdkafka's error name and a readable sentence)
// and where. Non-blocking: never a modal dialog during a run. Repeated errors are counted, not stacked.
#include <QFrame>
#include <QStringList>

class QLabel;
class QToolButton;

namespace kcl::ui {

class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const QString &source, const QString &errorName, const QString &message);
    void dismiss();
    int pendingCount() const { return m_count; }
    QString text() const;
    bool isTransient() const { return m_transient; }

    // What a student should make of a librdkafka error name: a sentence on what to do (empty when unknown),
    // and whether the error is a transient one that clears by itself (shown calmer).
    static QString hintFor(const QString &errorName);
    static bool isTransientError(const QString &errorName);

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QToolButton *m_close = nullptr;
    QString m_source, m_name, m_message;
    QStringList m_recent; // last few, for the tooltip
    int m_count = 0;      // since last dismissed
    bool m_transient = false;
};

} // namespace kcl::ui
