// The archive service survives SIGKILL between writing lines and committing their offsets: after every restart
// each produced record is in the archive exactly once (by topic, partition, offset), in offset order per file.
// The archive runs in a child process (this binary re-executed with --archive-child) so it can really be killed.
// The same code runs on the embedded cluster (the child connects to the parent's mock brokers) and on the real
// local lab stack (see TestCluster.h).
#include "ArchiveLines.h"
#include "TestCluster.h"

#include "events/Event.h"
#include "kafka/Handles.h"
#include "kafka/Producer.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/ArchiveService.h"
#include "pipeline/ConsumerGroupService.h"
#include "pipeline/WorkloadGenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

using namespace kcl;
using namespace kcl::test;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> childConsumerProperties(const std::string &bootstrap, bool embedded)
{
    return {{"bootstrap.servers", bootstrap}, {"log_level", "3"}, {"session.timeout.ms", "6000"},
            {"heartbeat.interval.ms", "1000"}, {"fetch.wait.max.ms", embedded ? "10" : "100"}};
}

// The child: one archive member on `topic` until it is killed. Prints its errors to stderr.
int runArchiveChild(const std::string &bootstrap, bool embedded, const std::string &topic, const std::string &group,
                    const std::string &dir)
{
    PipelineMetrics metrics;
    ConsumerGroupService archive(group, {topic}, childConsumerProperties(bootstrap, embedded), metrics);
    archive.setHandlerFactory(ArchiveHandler::factory(dir, {{"bootstrap.servers", bootstrap}, {"acks", "all"}, {"log_level", "3"}},
                                                      archive.state(), metrics));
    archive.setMembers(1);
    std::int64_t reported = 0;
    // A progress line every 5 s, so a test that times out shows whether the child joined, read and wrote.
    const auto started = std::chrono::steady_clock::now();
    auto nextProgress = started;
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (const auto now = std::chrono::steady_clock::now(); now >= nextProgress) {
            nextProgress = now + std::chrono::seconds(5);
            const GroupInfo info = archive.info();
            std::size_t assigned = 0;
            for (const auto &m : info.members)
                assigned += m.assignment.size();
            std::cerr << "archive child: "
                      << std::chrono::duration_cast<std::chrono::seconds>(now - started).count() << " s, "
                      << assigned << " partitions assigned, " << info.consumedTotal << " records read, "
                      << metrics.services.archive.lines.load() << " lines written, "
                      << metrics.services.archive.duplicatesSkipped.load() << " skipped as archived before"
                      << std::endl;
        }
        const auto errors = metrics.errors.copy();
        const std::int64_t total = metrics.errors.total();
        for (std::size_t i = errors.size() - std::min<std::size_t>(errors.size(), static_cast<std::size_t>(total - reported)); i < errors.size(); ++i)
            std::cerr << "archive child: " << errors[i].source << ": " << errors[i].message << std::endl;
        reported = total;
    }
}

struct ArchivedLine {
    std::string file;
    int partition = 0;
    std::int64_t offset = 0;
    std::string eventId;
};

// Every complete line of every archive file (an incomplete last line, left by a kill, is not a line yet).
std::vector<ArchivedLine> readArchive(const fs::path &dir)
{
    std::vector<ArchivedLine> out;
    std::error_code ec;
    for (const auto &entry : fs::recursive_directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".jsonl")
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::size_t pos = 0;
        for (;;) {
            const auto nl = content.find('\n', pos);
            if (nl == std::string::npos)
                break;
            const auto doc = nlohmann::json::parse(content.substr(pos, nl - pos), nullptr, false);
            pos = nl + 1;
            ArchivedLine l;
            l.file = entry.path().string();
            if (doc.is_object() && doc.contains("event")) {
                l.partition = doc.value("partition", -1);
                l.offset = doc.value("offset", std::int64_t(-1));
                l.eventId = doc["event"].value("event_id", std::string());
            } else {
                l.offset = -2; // a line that is not JSON: reported by the test
            }
            out.push_back(std::move(l));
        }
    }
    return out;
}

} // namespace

class ArchiveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        try {
            m_cluster = std::make_unique<TestCluster>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        if (m_cluster->isEmbedded()) // the real cluster has the lab's dead-letter topic; the mock needs one
            QVERIFY(!m_cluster->embedded()->createTopic(std::string(topics::kDeadLetter), 3, 3));
    }

    void killBetweenWriteAndCommitLeavesNoGapAndNoDuplicate()
    {
        constexpr int kPartitions = 3;
        const std::string topic = m_cluster->createTopic("kcl-test-archive", kPartitions);
        const std::string group = "kcl-test-archive-" + topic;
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const fs::path dir = tmp.path().toStdString();

        // Events flow all the time the archive is killed and restarted.
        std::atomic<bool> stopProducing{false};
        std::atomic<std::int64_t> acknowledged{0};
        std::set<std::string> producedIds;
        std::string producerError;
        PipelineMetrics metrics;
        std::thread producerThread([&] {
            try {
                Producer producer(m_cluster->producerProperties(), "archive-test-producer", metrics);
                producer.warmUp({topic});
                WorkloadGenerator gen(QRandomGenerator::global()->generate64());
                while (!stopProducing.load()) {
                    for (int i = 0; i < 20; ++i) {
                        const Event e = gen.next(wallClockMs());
                        KafkaError err;
                        while ((err = producer.produce(topic, e.key(), serialize(e))).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                            producer.poll(10);
                        if (err)
                            throw std::runtime_error("producing a test event failed: " + err.sentence());
                        producedIds.insert(e.eventId);
                    }
                    producer.poll(0);
                    std::this_thread::sleep_for(std::chrono::milliseconds(40)); // ~500 events/s
                }
                if (!producer.flush(60000))
                    producerError = "the test's events were not acknowledged within 60 s";
                else if (producer.failed() > 0) // which ones is unknown: the archive could not be checked against them
                    producerError = std::to_string(producer.failed()) + " test events failed delivery";
                acknowledged = producer.acknowledged();
            } catch (const std::exception &e) {
                producerError = e.what();
            }
        });
        struct Stop {
            std::atomic<bool> &flag;
            std::thread &t;
            ~Stop() { flag = true; if (t.joinable()) t.join(); }
        } stopGuard{stopProducing, producerThread};

        const QStringList childArgs{QStringLiteral("--archive-child"), QString::fromStdString(m_cluster->bootstrap()),
                                    m_cluster->isEmbedded() ? QStringLiteral("embedded") : QStringLiteral("local"),
                                    QString::fromStdString(topic), QString::fromStdString(group),
                                    QString::fromStdString(dir.string())};
        auto startChild = [&] {
            auto child = std::make_unique<QProcess>();
            child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child->start(QCoreApplication::applicationFilePath(), childArgs);
            return child;
        };

        QElapsedTimer clock;
        clock.start();
        int killsBetweenWriteAndCommit = 0;
        constexpr int kKills = 4;
        for (int round = 0; round < kKills; ++round) {
            const std::size_t before = countArchivedLines(dir);
            auto child = startChild();
            QVERIFY(child->waitForStarted(10000));
            // Wait until the child archives (it first waits for the killed member's session to expire), then let it
            // write for a random moment: it commits once a second, so lines are almost always ahead of the commit.
            QTRY_VERIFY_WITH_TIMEOUT(countArchivedLines(dir) >= before + 200, 60000);
            QTest::qWait(200 + static_cast<int>(QRandomGenerator::global()->bounded(900)));
            ::kill(static_cast<pid_t>(child->processId()), SIGKILL);
            QVERIFY(child->waitForFinished(10000));

            const auto committed = m_cluster->committedOffsets(group, topic, kPartitions);
            bool ahead = false;
            for (int p = 0; p < kPartitions; ++p) {
                const std::int64_t highest = highestArchivedOffset(dir, topic, p, false);
                qInfo("%.1f s, round %d partition %d: archived up to offset %lld, committed %lld", clock.elapsed() / 1000.0, round, p,
                      static_cast<long long>(highest), static_cast<long long>(committed.at(p)));
                // The next offset to read is at or below an archived one: the restart re-reads archived records.
                ahead = ahead || (highest >= 0 && committed.at(p) <= highest);
            }
            killsBetweenWriteAndCommit += ahead ? 1 : 0;
        }
        stopProducing = true;
        producerThread.join();
        QVERIFY2(producerError.empty(), producerError.c_str());
        QVERIFY2(killsBetweenWriteAndCommit >= 1, "no kill happened between a write and its commit");
        qInfo("%d of %d kills were between a write and its commit; %lld events produced", killsBetweenWriteAndCommit,
              kKills, static_cast<long long>(acknowledged.load()));

        // The last run catches up; then nothing more may be written.
        auto child = startChild();
        QVERIFY(child->waitForStarted(10000));
        // A wall-clock deadline (QTRY counts its sleeps, not the time spent reading the archive), and on failure a
        // diagnosis: a gap in the archive, or a child that did not catch up.
        QElapsedTimer catchUp;
        catchUp.start();
        while (countArchivedLines(dir) < producedIds.size() && catchUp.elapsed() < 120000)
            QTest::qWait(500);
        if (countArchivedLines(dir) < producedIds.size()) {
            const auto committed = m_cluster->committedOffsets(group, topic, kPartitions);
            std::map<int, std::set<std::int64_t>> offsets;
            for (const auto &l : readArchive(dir))
                offsets[l.partition].insert(l.offset);
            std::string why = "the archive has " + std::to_string(countArchivedLines(dir)) + " lines of " +
                              std::to_string(producedIds.size()) + " events after 120 s;";
            for (int p = 0; p < kPartitions; ++p) {
                const auto &o = offsets[p];
                std::int64_t missing = 0, firstMissing = -1;
                const std::int64_t highest = o.empty() ? -1 : *o.rbegin();
                for (std::int64_t x = 0; x <= highest; ++x)
                    if (!o.count(x) && missing++ == 0)
                        firstMissing = x;
                why += " partition " + std::to_string(p) + ": " + std::to_string(o.size()) + " lines up to offset " +
                       std::to_string(highest) + ", " + std::to_string(missing) + " missing below it (first " +
                       std::to_string(firstMissing) + "), committed " + std::to_string(committed.at(p)) + ";";
            }
            ::kill(static_cast<pid_t>(child->processId()), SIGKILL);
            child->waitForFinished(10000);
            QFAIL(why.c_str());
        }
        QTest::qWait(2500);
        ::kill(static_cast<pid_t>(child->processId()), SIGKILL);
        QVERIFY(child->waitForFinished(10000));

        const auto lines = readArchive(dir);
        std::set<std::pair<int, std::int64_t>> seen;
        std::set<std::string> ids;
        std::map<std::string, std::int64_t> lastOffsetInFile;
        for (const auto &l : lines) {
            QVERIFY2(l.offset >= 0, ("a line of " + l.file + " is not an archived record").c_str());
            QVERIFY2(seen.insert({l.partition, l.offset}).second,
                     ("duplicate: partition " + std::to_string(l.partition) + " offset " + std::to_string(l.offset)).c_str());
            ids.insert(l.eventId);
            auto [it, first] = lastOffsetInFile.try_emplace(l.file, l.offset);
            if (!first) {
                QVERIFY2(l.offset > it->second, ("out of offset order in " + l.file).c_str());
                it->second = l.offset;
            }
        }
        QCOMPARE(static_cast<std::int64_t>(lines.size()), acknowledged.load());
        QCOMPARE(ids, producedIds);
        // No gap: per partition the offsets are exactly 0 .. n-1 (a fresh topic, one non-transactional producer).
        std::map<int, std::pair<std::int64_t, std::int64_t>> perPartition; // count, highest offset
        for (const auto &[p, o] : seen) {
            auto &c = perPartition[p];
            ++c.first;
            c.second = std::max(c.second, o);
        }
        for (const auto &[p, c] : perPartition)
            QCOMPARE(c.second + 1, c.first);
    }

    // A write that fails (even for root: the date directory's name is taken by a regular file, then the archive file
    // is /dev/full, where every flush fails with ENOSPC) is reported, and nothing is committed past the records not on
    // disk; once the directory is usable again every record lands, with no gap and no duplicate, and is committed.
    void unwritableDirectoryCommitsNothingUntilTheLinesAreOnDisk()
    {
        const std::string topic = m_cluster->createTopic("kcl-test-archive-unwritable", 1);
        const std::string group = "kcl-test-archive-" + topic;
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const fs::path dir = tmp.path().toStdString();
        // The record timestamps are "now": block today's date directory and the next one (a run across midnight UTC).
        std::set<std::string> dates{archiveDatePartition(wallClockMs()), archiveDatePartition(wallClockMs() + 600000)};
        for (const auto &d : dates)
            std::ofstream(dir / d) << "not a directory\n";

        PipelineMetrics metrics;
        ConsumerGroupService archive(group, {topic}, m_cluster->consumerProperties(), metrics);
        archive.setHandlerFactory(ArchiveHandler::factory(dir, m_cluster->producerProperties(), archive.state(), metrics));
        archive.setMembers(1);
        std::int64_t produced = 0;
        auto produce = [&](int n) {
            Producer producer(m_cluster->producerProperties(), "archive-test-producer", metrics);
            WorkloadGenerator gen(QRandomGenerator::global()->generate64());
            for (int i = 0; i < n; ++i) {
                const Event e = gen.next(wallClockMs());
                while (producer.produce(topic, e.key(), serialize(e)).code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    producer.poll(10);
            }
            QVERIFY(producer.flush(30000));
            QCOMPARE(producer.acknowledged(), static_cast<std::int64_t>(n));
            produced += n;
        };
        auto errorsNamed = [&](const std::string &name) {
            std::vector<std::string> out;
            for (const auto &e : metrics.errors.copy())
                if (e.errorName == name)
                    out.push_back(e.message);
            return out;
        };
        auto committed = [&] { return m_cluster->committedOffsets(group, topic, 1).at(0); };

        produce(100);
        QTRY_VERIFY_WITH_TIMEOUT(!errorsNamed("_FS").empty(), 30000);
        QVERIFY2(errorsNamed("_FS").front().find("cannot be opened") != std::string::npos, errorsNamed("_FS").front().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(archive.info().consumedTotal > 0, 30000); // (the member pauses while lines wait)
        QTest::qWait(3000);                                                 // a few commits were due since
        QVERIFY2(committed() <= 0, ("committed up to " + std::to_string(committed()) + " with nothing archived").c_str());
        QVERIFY(readArchive(dir).empty());

        // Now the files open, but nothing reaches the disk: flushing /dev/full fails.
        for (const auto &d : dates) {
            fs::remove(dir / d);
            fs::create_directories(dir / d);
            fs::create_symlink("/dev/full", dir / d / (topic + "-0.jsonl"));
        }
        const std::size_t fsErrors = errorsNamed("_FS").size();
        const std::int64_t linesBefore = metrics.services.archive.lines.load();
        QTest::qWait(4000); // several retries and commit attempts
        QVERIFY(metrics.services.archive.lines.load() > linesBefore); // written (buffered), then the flush failed
        QVERIFY2(committed() <= 0, ("committed up to " + std::to_string(committed()) + " while writes fail").c_str());
        QCOMPARE(errorsNamed("_FS").size(), fsErrors); // reported once, not once per retry
        QVERIFY(readArchive(dir).empty());

        // Writable again: everything lands and is committed, then new records too.
        for (const auto &d : dates)
            fs::remove(dir / d / (topic + "-0.jsonl"));
        QTRY_COMPARE_WITH_TIMEOUT(countArchivedLines(dir), static_cast<std::size_t>(produced), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(committed(), produced, 30000);
        QVERIFY(!errorsNamed("_RECOVERED").empty());
        produce(50);
        QTRY_COMPARE_WITH_TIMEOUT(countArchivedLines(dir), static_cast<std::size_t>(produced), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(committed(), produced, 30000);
        archive.stopAll();

        std::set<std::int64_t> offsets;
        for (const auto &l : readArchive(dir))
            QVERIFY2(offsets.insert(l.offset).second, ("duplicate offset " + std::to_string(l.offset)).c_str());
        QCOMPARE(static_cast<std::int64_t>(offsets.size()), produced);
        QCOMPARE(*offsets.begin(), std::int64_t(0));
        QCOMPARE(*offsets.rbegin(), produced - 1); // no gap
    }

    void slowDeadLettersDoNotHoldTheArchiveBack()
    {
        // A record that goes to the dead-letter topic must not stop the archive while its dead letter is on the way
        // (a slow or unavailable dead-letter topic stalled the member for 10 s at each commit); its offset, and every
        // later one, is committed only once the dead letter is acknowledged.
        if (!m_cluster->isEmbedded())
            QSKIP("needs the embedded cluster: the dead-letter topic is slowed by the mock's round-trip time");
        EmbeddedCluster &mock = *m_cluster->embedded();
        const std::string topic = m_cluster->createTopic("kcl-test-archive-slow-dlt", 1);
        const std::string group = "kcl-test-archive-" + topic;
        // Dead letters go through broker 3, made slow below; the records and the group's coordinator stay on broker 1.
        for (int p = 0; p < 3; ++p)
            QVERIFY(!mock.setPartitionLeader(std::string(topics::kDeadLetter), p, 3));
        QVERIFY(!mock.setPartitionLeader(topic, 0, 1));
        QVERIFY(!mock.setGroupCoordinator(group, 1));
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const fs::path dir = tmp.path().toStdString();

        PipelineMetrics metrics;
        ConsumerGroupService archive(group, {topic}, m_cluster->consumerProperties(), metrics);
        archive.setHandlerFactory(ArchiveHandler::factory(dir, m_cluster->producerProperties(), archive.state(), metrics));
        archive.setMembers(1);
        Producer producer(m_cluster->producerProperties(), "archive-test-producer", metrics);
        WorkloadGenerator gen(QRandomGenerator::global()->generate64());
        auto produceGood = [&](int n) {
            for (int i = 0; i < n; ++i) {
                const Event e = gen.next(wallClockMs());
                QVERIFY(!producer.produce(topic, e.key(), serialize(e)));
            }
            QVERIFY(producer.flush(10000));
        };
        auto committed = [&] { return m_cluster->committedOffsets(group, topic, 1).at(0); };

        produceGood(10);
        QTRY_COMPARE_WITH_TIMEOUT(countArchivedLines(dir), std::size_t(10), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(committed(), std::int64_t(10), 10000);

        QVERIFY(!mock.setBrokerRttMs(3, 8000));
        QVERIFY(!producer.produce(topic, "ch_dev", "this is not JSON")); // offset 10
        QVERIFY(producer.flush(10000));
        QTRY_VERIFY_WITH_TIMEOUT(metrics.deadLettered.load() == 1, 10000);
        QTest::qWait(1500); // a periodic commit came while the dead letter is on its way
        produceGood(10);
        QElapsedTimer t;
        t.start();
        QTRY_COMPARE_WITH_TIMEOUT(countArchivedLines(dir), std::size_t(20), 3000);
        qInfo("the records after the dead letter were archived %lld ms after they were acknowledged", t.elapsed());
        QTest::qWait(1500);
        QVERIFY2(committed() <= 10, ("committed up to " + std::to_string(committed()) +
                                     " while the dead letter of offset 10 is not acknowledged").c_str());

        QVERIFY(!mock.setBrokerRttMs(3, 0));
        QTRY_COMPARE_WITH_TIMEOUT(committed(), std::int64_t(21), 30000); // after the poison record and the ten after it
        archive.stopAll();
        QCOMPARE(countArchivedLines(dir), std::size_t(20));
    }

private:
    std::unique_ptr<TestCluster> m_cluster;
};

int main(int argc, char **argv)
{
    if (argc == 7 && std::string(argv[1]) == "--archive-child")
        return runArchiveChild(argv[2], std::string(argv[3]) == "embedded", argv[4], argv[5], argv[6]);
    QCoreApplication app(argc, argv);
    ArchiveTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_archive.moc"
