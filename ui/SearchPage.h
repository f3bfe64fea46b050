#pragma once
// The search page (issue 6): the CQRS read side. A query over the search index (match on content, optional
// channel and author filters, newest first, matches highlighted) and how long it took: at the node ("took") and
// round trip. The query runs in core off the GUI thread (PipelineEngine::search); the page only shows the answer.
#include "DashboardPage.h"
#include "pipeline/PipelineEngine.h"
#include "sinks/SearchClient.h"

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;

namespace kcl::ui {

class EngineClient;

class SearchPage : public DashboardPage {
    Q_OBJECT
public:
    explicit SearchPage(EngineClient *engine, QWidget *parent = nullptr);
    void applySnapshot(const Snapshot &snapshot) override;
    QString title() const override;

    void runQuery(const QString &text, const QString &channel = {}, const QString &author = {}); // as the form does
    std::shared_ptr<const SearchResponse> lastResponse() const { return m_last; }
    QString statusText() const;
    int searchesAnswered() const { return m_answered; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showResponse(const kcl::SearchResponsePtr &response);

    EngineClient *m_engine;
    QLabel *m_textLabel = nullptr, *m_channelLabel = nullptr, *m_authorLabel = nullptr;
    QLineEdit *m_text = nullptr, *m_channel = nullptr, *m_author = nullptr;
    QPushButton *m_go = nullptr;
    QLabel *m_status = nullptr;
    QTextBrowser *m_results = nullptr;
    QLabel *m_indexer = nullptr;
    std::shared_ptr<const SearchResponse> m_last;
    int m_answered = 0;
};

} // namespace kcl::ui
