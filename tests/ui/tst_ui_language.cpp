// Switching between Korean and English changes what the user reads, live, in every part of the window.
#include "ClusterBar.h"
#include "ErrorBanner.h"
#include "kafka/KafkaError.h"
#include "MainWindow.h"
#include "NotificationModel.h"
#include "NotificationsPage.h"
#include "ThroughputPage.h"
#include "ThroughputTableModel.h"
#include "Translations.h"

#include <algorithm>

#include <QApplication>
#include <QMenuBar>
#include <QTabWidget>
#include <QTest>

#include <librdkafka/rdkafka.h>

using namespace kcl::ui;

class TestUiLanguage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void catalogues_areEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/kcl_ko.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/kcl_en.qm")));
        QCOMPARE(availableLanguages(), (QStringList{QStringLiteral("ko"), QStringLiteral("en")}));
        QVERIFY(availableLanguages().contains(systemLanguage()));
        QVERIFY(!switchLanguage(QStringLiteral("xx")));
    }

    void switching_changesVisibleStrings()
    {
        installTranslator(*qApp, QStringLiteral("en"));
        MainWindow window(nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(currentLanguage(), QStringLiteral("en"));
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Throughput"));
        QCOMPARE(window.tabs()->tabText(1), QStringLiteral("Mention notifications"));
        QCOMPARE(window.clusterBar()->titleText(ClusterBar::Brokers), QStringLiteral("Brokers"));
        auto header = [&](QAbstractItemModel *m, int section) { return m->headerData(section, Qt::Horizontal).toString(); };
        QCOMPARE(header(window.notificationsPage()->model(), NotificationModel::Recipient), QStringLiteral("Recipient"));
        QCOMPARE(header(window.throughputPage()->model(), ThroughputTableModel::Topic), QStringLiteral("Topic"));

        QVERIFY(switchLanguage(QStringLiteral("ko")));
        QCOMPARE(currentLanguage(), QStringLiteral("ko"));
        // LanguageChange is posted to the windows: it arrives on the next event-loop pass.
        QTRY_COMPARE(window.tabs()->tabText(0), QStringLiteral("처리량"));
        QCOMPARE(window.tabs()->tabText(1), QStringLiteral("멘션 알림"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Kafka Collab Lab"));
        QCOMPARE(window.clusterBar()->titleText(ClusterBar::Brokers), QStringLiteral("브로커"));
        QCOMPARE(header(window.notificationsPage()->model(), NotificationModel::Recipient), QStringLiteral("받는 사람"));
        QCOMPARE(header(window.throughputPage()->model(), ThroughputTableModel::Topic), QStringLiteral("토픽"));
        QCOMPARE(window.menuBar()->actions().at(0)->text(), QStringLiteral("파일(&F)"));
        QCOMPARE(QCoreApplication::translate("kcl::ui::MentionToast", "New mention"), QStringLiteral("새 멘션"));
        QCOMPARE(QCoreApplication::translate("kcl::ui::NotificationsPage", "%Ln notification(s) in total", nullptr, 3),
                 QStringLiteral("총 알림 3건"));

        QVERIFY(switchLanguage(QStringLiteral("en")));
        QTRY_COMPARE(window.tabs()->tabText(0), QStringLiteral("Throughput"));
        QCOMPARE(window.menuBar()->actions().at(0)->text(), QStringLiteral("&File"));
        QCOMPARE(QCoreApplication::translate("kcl::ui::NotificationsPage", "%Ln notification(s) in total", nullptr, 1),
                 QStringLiteral("1 notification in total"));
        QCOMPARE(QCoreApplication::translate("kcl::ui::NotificationsPage", "%Ln notification(s) in total", nullptr, 3),
                 QStringLiteral("3 notifications in total"));
    }

    void languageMenu_switches()
    {
        installTranslator(*qApp, QStringLiteral("en"));
        MainWindow window(nullptr);
        window.show();
        QMenu *language = nullptr;
        for (QAction *a : window.menuBar()->actions())
            if (a->menu() && a->text() == QStringLiteral("&Language"))
                language = a->menu();
        QVERIFY(language);
        QAction *korean = nullptr;
        for (QAction *a : language->actions())
            if (a->data().toString() == QStringLiteral("ko"))
                korean = a;
        QVERIFY(korean);
        korean->trigger();
        QTRY_COMPARE(window.tabs()->tabText(0), QStringLiteral("처리량"));
        QVERIFY(korean->isChecked());
        QCOMPARE(currentLanguage(), QStringLiteral("ko"));
    }

    // Core explains librdkafka's errors in English (logs, CLI, reports); the window adds, in the user's language,
    // what the error means and what to do, for every error core explains.
    void errorHints_coverEveryExplainedErrorInBothLanguages()
    {
        const rd_kafka_err_desc *descs = nullptr;
        size_t count = 0;
        rd_kafka_get_err_descs(&descs, &count);
        QStringList explained;
        for (size_t i = 0; i < count; ++i)
            if (descs[i].name && !kcl::explainKafkaError(descs[i].code).empty())
                explained << QString::fromLatin1(rd_kafka_err2name(descs[i].code));
        QVERIFY(explained.size() >= 15);
        installTranslator(*qApp, QStringLiteral("en"));
        QStringList english;
        for (const QString &name : explained) {
            english << ErrorBanner::hintFor(name);
            QVERIFY2(!english.last().isEmpty(), qPrintable(name + QStringLiteral(" has no hint in the window")));
        }
        QVERIFY(switchLanguage(QStringLiteral("ko")));
        for (int i = 0; i < explained.size(); ++i) {
            const QString korean = ErrorBanner::hintFor(explained.at(i));
            QVERIFY2(korean != english.at(i), qPrintable(explained.at(i) + QStringLiteral(": the hint is not translated")));
            QVERIFY2(std::any_of(korean.begin(), korean.end(), [](QChar c) {
                         return c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3; // Hangul syllables
                     }),
                     qPrintable(explained.at(i)));
        }
        QVERIFY(switchLanguage(QStringLiteral("en")));
    }

    void catalogue_isComplete()
    {
        // Every source string of the ko catalogue is translated (lrelease drops unfinished entries, so a missing
        // one would show English in the Korean ui).
        QFile ts(QStringLiteral(KCL_SOURCE_DIR "/resources/translations/kcl_ko.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray xml = ts.readAll();
        QVERIFY(!xml.contains("type=\"unfinished\""));
        QVERIFY(!xml.contains("type=\"obsolete\""));
        QVERIFY(!xml.contains("type=\"vanished\""));
    }
};

QTEST_MAIN(TestUiLanguage)
#include "tst_ui_language.moc"
