#include "SearchPage.h"

#include "EngineClient.h"

#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace kcl::ui {

SearchPage::SearchPage(EngineClient *engine, QWidget *parent) : DashboardPage(parent), m_engine(engine)
{
    auto *layout = new QVBoxLayout(this);
    auto *form = new QGridLayout;
    m_textLabel = new QLabel(this);
    m_text = new QLineEdit(this);
    m_channelLabel = new QLabel(this);
    m_channel = new QLineEdit(this);
    m_authorLabel = new QLabel(this);
    m_author = new QLineEdit(this);
    m_go = new QPushButton(this);
    m_go->setDefault(true);
    m_textLabel->setBuddy(m_text);
    m_channelLabel->setBuddy(m_channel);
    m_authorLabel->setBuddy(m_author);
    form->addWidget(m_textLabel, 0, 0);
    form->addWidget(m_text, 0, 1, 1, 3);
    form->addWidget(m_go, 0, 4);
    form->addWidget(m_channelLabel, 1, 0);
    form->addWidget(m_channel, 1, 1);
    form->addWidget(m_authorLabel, 1, 2);
    form->addWidget(m_author, 1, 3);
    layout->addLayout(form);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_results = new QTextBrowser(this);
    m_results->setOpenLinks(false);
    layout->addWidget(m_results, 1);
    m_indexer = new QLabel(this);
    m_indexer->setWordWrap(true);
    layout->addWidget(m_indexer);
    auto go = [this] { runQuery(m_text->text(), m_channel->text(), m_author->text()); };
    connect(m_go, &QPushButton::clicked, this, go);
    connect(m_text, &QLineEdit::returnPressed, this, go);
    connect(m_engine, &EngineClient::searchFinished, this, &SearchPage::showResponse);
    retranslateUi();
}

QString SearchPage::title() const { return tr("Search"); }

void SearchPage::runQuery(const QString &text, const QString &channel, const QString &author)
{
    if (m_text->text() != text)
        m_text->setText(text);
    m_channel->setText(channel);
    m_author->setText(author);
    m_status->setText(tr("Searching…"));
    m_engine->search(text.trimmed(), channel.trimmed(), author.trimmed());
}

void SearchPage::showResponse(const kcl::SearchResponsePtr &response)
{
    if (!response)
        return;
    m_last = response;
    ++m_answered;
    if (!response->ok()) {
        m_status->setText(tr("The search failed: %1").arg(response->error));
        m_results->clear();
        return;
    }
    m_status->setText(tr("%1 shown of %2 matching messages; the node took %3 ms, round trip %4 ms")
                          .arg(response->hits.size())
                          .arg(response->total)
                          .arg(response->tookMs, 0, 'f', 0)
                          .arg(response->roundTripMs, 0, 'f', 1));
    QString html;
    for (const SearchHit &h : response->hits) {
        const SearchDocument &d = h.document;
        // The node's fragment marks matches with <em>; everything else is the user's text and is escaped.
        QString content = h.highlighted.toHtmlEscaped();
        content.replace(QStringLiteral("&lt;em&gt;"), QStringLiteral("<b style=\"background:#fff3b0\">"));
        content.replace(QStringLiteral("&lt;/em&gt;"), QStringLiteral("</b>"));
        html += QStringLiteral("<p><span style=\"color:#57606a\">%1 · #%2 · %3 · %4</span><br>%5</p>")
                    .arg(QDateTime::fromMSecsSinceEpoch(d.createdAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         d.channel.toHtmlEscaped(), d.author.toHtmlEscaped(), d.id.toHtmlEscaped(), content);
    }
    if (response->hits.empty())
        html = QStringLiteral("<p>%1</p>").arg(tr("No message matches.").toHtmlEscaped());
    m_results->setHtml(html);
}

QString SearchPage::statusText() const { return m_status->text(); }

void SearchPage::applySnapshot(const Snapshot &s)
{
    // Whether there is anything to find: the indexer's own figures, when it runs.
    QString text = tr("The search indexer is not running: start it on the Pipeline page to fill the index.");
    for (const GroupInfo &g : s.groups)
        if (g.service == "search-indexer") {
            text = tr("The search indexer runs with %1 member(s) and has handled %2 events; a message is "
                      "searchable about a second after it is indexed (the node refreshes its index once a second).")
                       .arg(g.members.size())
                       .arg(g.consumedTotal);
            break;
        }
    // A lab's read load (exercise 3): the read side's latency next to the write side's.
    const ReadLoadStats &r = s.readLoad;
    if (r.running) {
        text += QLatin1Char('\n') + tr("Read load: %1 readers · %2 searches · p50 %3 ms · p99 %4 ms · %5 errors")
                                        .arg(r.readers)
                                        .arg(r.searches)
                                        .arg(r.searchLatency.p50, 0, 'f', 1)
                                        .arg(r.searchLatency.p99, 0, 'f', 1)
                                        .arg(r.searchErrors);
        if (r.probesPosted > 0)
            text += QLatin1Char('\n') + tr("Write to searchable: %1 of %2 probes found · p50 %3 ms · p99 %4 ms")
                                            .arg(r.probesFound)
                                            .arg(r.probesPosted)
                                            .arg(r.searchableDelay.p50, 0, 'f', 0)
                                            .arg(r.searchableDelay.p99, 0, 'f', 0);
        if (s.writeSide.postLatency.count > 0)
            text += QLatin1Char('\n') + tr("Write side (PostgreSQL commit): p50 %1 ms · p99 %2 ms")
                                            .arg(s.writeSide.postLatency.p50, 0, 'f', 1)
                                            .arg(s.writeSide.postLatency.p99, 0, 'f', 1);
    }
    m_indexer->setText(text);
}

void SearchPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DashboardPage::changeEvent(event);
}

void SearchPage::retranslateUi()
{
    m_textLabel->setText(tr("&Text:"));
    m_text->setPlaceholderText(tr("words to find in messages, e.g. 배포 or deploy"));
    m_channelLabel->setText(tr("&Channel:"));
    m_channel->setPlaceholderText(tr("any"));
    m_authorLabel->setText(tr("&Author:"));
    m_author->setPlaceholderText(tr("any"));
    m_go->setText(tr("Search"));
}

} // namespace kcl::ui
