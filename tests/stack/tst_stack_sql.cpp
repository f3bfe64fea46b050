// SQL smoke test against the REAL PostgreSQL of the local lab stack (label: real), through Qt Sql's QPSQL driver
// (Debian: libqt6sql6-psql). The stack must already run; when it does not, the test FAILS and says how to start it.
#include "cluster/ClusterProfile.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

class TestStackSql : public QObject {
    Q_OBJECT
    QMap<QString, QString> m_conn;
    QString m_table;

    static QMap<QString, QString> parseConninfo(const QString &s)
    {
        QMap<QString, QString> m;
        const QStringList parts = s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &kv : parts) {
            const int eq = kv.indexOf(QLatin1Char('='));
            if (eq > 0)
                m.insert(kv.left(eq), kv.mid(eq + 1));
        }
        return m;
    }

    QSqlDatabase open(const QString &name)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(m_conn.value(QStringLiteral("host")));
        db.setPort(m_conn.value(QStringLiteral("port"), QStringLiteral("5433")).toInt());
        db.setDatabaseName(m_conn.value(QStringLiteral("dbname")));
        db.setUserName(m_conn.value(QStringLiteral("user")));
        db.setPassword(m_conn.value(QStringLiteral("password")));
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        db.open();
        return db;
    }

    static int count(QSqlDatabase &db, const QString &table, const QString &where = {})
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT count(*) FROM %1 %2").arg(table, where)) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
                 "Qt's PostgreSQL driver QPSQL is missing: sudo apt-get install libqt6sql6-psql");
        m_conn = parseConninfo(qEnvironmentVariable("KCL_TEST_SQL", QString::fromStdString(kcl::ClusterProfile::local().sqlConnection)));
        m_table = QStringLiteral("kcl_smoke_%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        QSqlDatabase db = open(QStringLiteral("main"));
        QVERIFY2(db.isOpen(),
                 qPrintable(QStringLiteral("the lab stack's PostgreSQL at %1:%2 (db %3, user %4) is not reachable: %5\n"
                                           "Start it with 'kafka-collab-lab stack up --with sql' (or resources/stack/labstack.sh "
                                           "up --brokers 3 --with search,sql), or exclude real tests: ctest -LE real")
                                .arg(m_conn.value(QStringLiteral("host")), m_conn.value(QStringLiteral("port")),
                                     m_conn.value(QStringLiteral("dbname")), m_conn.value(QStringLiteral("user")),
                                     db.lastError().text())));
    }

    void commitAndRollback()
    {
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("main"));
        QSqlQuery q(db);
        QVERIFY2(q.exec(QStringLiteral("CREATE TABLE %1 (id text PRIMARY KEY, channel_id text NOT NULL, body text NOT NULL)")
                            .arg(m_table)),
                 qPrintable(q.lastError().text()));

        // 1. a transaction that commits
        QVERIFY(db.transaction());
        QSqlQuery ins(db);
        ins.prepare(QStringLiteral("INSERT INTO %1 (id, channel_id, body) VALUES (?, ?, ?)").arg(m_table));
        ins.addBindValue(QStringLiteral("m-1"));
        ins.addBindValue(QStringLiteral("ch-general"));
        ins.addBindValue(QStringLiteral("새 멘션 @지민"));
        QVERIFY2(ins.exec(), qPrintable(ins.lastError().text()));
        QVERIFY2(db.commit(), qPrintable(db.lastError().text()));

        // 2. a transaction that rolls back
        QVERIFY(db.transaction());
        QSqlQuery ins2(db);
        ins2.prepare(QStringLiteral("INSERT INTO %1 (id, channel_id, body) VALUES (?, ?, ?)").arg(m_table));
        ins2.addBindValue(QStringLiteral("m-2"));
        ins2.addBindValue(QStringLiteral("ch-general"));
        ins2.addBindValue(QStringLiteral("never visible"));
        QVERIFY2(ins2.exec(), qPrintable(ins2.lastError().text()));
        QCOMPARE(count(db, m_table), 2); // visible inside its own transaction
        QVERIFY2(db.rollback(), qPrintable(db.lastError().text()));

        QCOMPARE(count(db, m_table), 1);
        QCOMPARE(count(db, m_table, QStringLiteral("WHERE id = 'm-1'")), 1);
        QCOMPARE(count(db, m_table, QStringLiteral("WHERE id = 'm-2'")), 0);

        // and a second, independent connection sees the same
        {
            QSqlDatabase other = open(QStringLiteral("other"));
            QVERIFY2(other.isOpen(), qPrintable(other.lastError().text()));
            QCOMPARE(count(other, m_table), 1);
            QSqlQuery sel(other);
            QVERIFY(sel.exec(QStringLiteral("SELECT body FROM %1 WHERE id = 'm-1'").arg(m_table)) && sel.next());
            QCOMPARE(sel.value(0).toString(), QStringLiteral("새 멘션 @지민"));
            other.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other"));
    }

    void cleanupTestCase()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(QStringLiteral("main"), false);
            if (db.isOpen()) {
                QSqlQuery q(db);
                q.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(m_table));
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("main"));
    }
};

QTEST_GUILESS_MAIN(TestStackSql)
#include "tst_stack_sql.moc"
