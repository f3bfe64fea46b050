// The search page (the CQRS read side) against the REAL search node of the local lab stack, with the embedded
// cluster: the search indexer fills an index of this run's own, and queries typed in the page come back with hits,
// highlights and latency, never blocking the GUI thread. Without a search node the page says so.
#include "EngineClient.h"
#include "MainWindow.h"
#include "SearchPage.h"
#include "Translations.h"
#include "cluster/ClusterProfile.h"
#include "pipeline/EngineThread.h"
#include "sinks/SearchClient.h"

#include <QApplication>
#include <QDir>
#include <QRandomGenerator>
#include <QTabWidget>
#include <QTest>

using namespace kcl;
using namespace kcl::ui;

class TestSearchPage : public QObject {
    Q_OBJECT
    QString m_url;
    QString m_index;

private Q_SLOTS:
    void initTestCase()
    {
        installTranslator(*qApp, QStringLiteral("en"));
        m_url = qEnvironmentVariable("KCL_TEST_SEARCH_URL", QString::fromStdString(ClusterProfile::local().searchUrl));
        m_index = QStringLiteral("kcl-ui-search-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        QString error;
        QVERIFY2(SearchClient(m_url, m_index).ping(&error),
                 qPrintable(QStringLiteral("the local lab stack's search node is not reachable (%1); start it with "
                                           "'kafka-collab-lab stack up --with search' or run 'ctest -LE real'").arg(error)));
    }

    void queriesFromThePage()
    {
        PipelineOptions options; // embedded Kafka, the stack's search node
        options.cluster.searchUrl = m_url.toStdString();
        options.searchIndex = m_index.toStdString();
        options.searchIndexerMembers = 1;
        options.workloadRate = 200;
        EngineThread engine(options);
        MainWindow window(engine.engine());
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        engine.start();
        SearchPage *page = window.searchPage();
        QVERIFY(page);
        window.tabs()->setCurrentWidget(page);
        auto latest = [&] { return window.engineClient()->latest(); };
        QTRY_VERIFY_WITH_TIMEOUT(latest() && latest()->search.indexed >= 200, 60000);
        QTest::qWait(1500); // the node makes new documents searchable at its next refresh (1 s)

        page->runQuery(QStringLiteral("deploy"));
        QTRY_COMPARE_WITH_TIMEOUT(page->searchesAnswered(), 1, 20000);
        auto r = page->lastResponse();
        QVERIFY2(r && r->ok(), r ? qPrintable(r->error) : "no answer");
        QVERIFY(r->total > 0 && !r->hits.empty());
        for (const SearchHit &h : r->hits)
            QVERIFY2(h.highlighted.contains(QStringLiteral("<em>deploy</em>"), Qt::CaseInsensitive), qPrintable(h.highlighted));
        for (std::size_t i = 1; i < r->hits.size(); ++i) // newest first
            QVERIFY(r->hits[i - 1].document.createdAtMs >= r->hits[i].document.createdAtMs);
        QVERIFY(r->roundTripMs > 0);
        QVERIFY2(page->statusText().contains(QStringLiteral("round trip")), qPrintable(page->statusText()));

        // Korean text and a channel filter.
        page->runQuery(QStringLiteral("배포"), QStringLiteral("ch_dev"));
        QTRY_COMPARE_WITH_TIMEOUT(page->searchesAnswered(), 2, 20000);
        r = page->lastResponse();
        QVERIFY2(r && r->ok(), r ? qPrintable(r->error) : "no answer");
        QVERIFY(!r->hits.empty());
        for (const SearchHit &h : r->hits) {
            QCOMPARE(h.document.channel, QStringLiteral("ch_dev"));
            QVERIFY(h.document.content.contains(QStringLiteral("배포")));
        }
        QDir().mkpath(QStringLiteral(KCL_SCREENSHOT_DIR));
        QVERIFY(window.grab().save(QStringLiteral(KCL_SCREENSHOT_DIR "/main-window-search.png")));
    }

    void withoutASearchNodeThePageSaysSo()
    {
        PipelineOptions options; // embedded, no search URL
        EngineThread engine(options);
        MainWindow window(engine.engine());
        window.show();
        engine.start();
        window.searchPage()->runQuery(QStringLiteral("deploy"));
        QTRY_COMPARE_WITH_TIMEOUT(window.searchPage()->searchesAnswered(), 1, 10000);
        QVERIFY(!window.searchPage()->lastResponse()->ok());
        QVERIFY(window.searchPage()->statusText().contains(QStringLiteral("--search-url")));
    }

    void cleanupTestCase()
    {
        QString error;
        SearchClient(m_url, m_index).deleteIndex(&error);
    }
};

QTEST_MAIN(TestSearchPage)
#include "tst_search_page.moc"
