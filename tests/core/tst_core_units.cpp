// Unit tests of core pieces that need no cluster: latency percentiles, the deterministic workload,
// error sentences, topic counters. (Cluster profiles: tests/stack/tst_clusterprofile.cpp.)
#include "events/Event.h"
#include "kafka/FetchRestarter.h"
#include "kafka/GroupMember.h"
#include "kafka/Handles.h"
#include "kafka/KafkaError.h"
#include "metrics/ErrorFeed.h"
#include "metrics/HeapTrimmer.h"
#include "metrics/LatencyWindow.h"
#include "metrics/PipelineMetrics.h"
#include "pipeline/WorkloadGenerator.h"

#include <QTest>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

using namespace kcl;

class CoreUnitsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void latencyPercentiles()
    {
        LatencyWindow w(1000);
        for (int i = 1; i <= 100; ++i)
            w.add(i);
        const auto s = w.summary();
        QCOMPARE(s.count, std::int64_t(100));
        QCOMPARE(s.p50, 50.0);
        QCOMPARE(s.p90, 90.0);
        QCOMPARE(s.p99, 99.0);
        QCOMPARE(s.max, 100.0);
    }

    void latencyWindowIsBounded()
    {
        LatencyWindow w(10);
        for (int i = 0; i < 1000; ++i)
            w.add(i);
        const auto s = w.summary();
        QCOMPARE(s.count, std::int64_t(10)); // only the newest 10 are kept
        QCOMPARE(s.max, 999.0);
        QCOMPARE(s.p50, 994.0);
        QCOMPARE(w.totalCount(), std::int64_t(1000));
    }

    // Samples added in one go (a poll's delivery reports) are kept and bounded exactly as when added one by one.
    void latencyWindowAddsManyAtOnce()
    {
        LatencyWindow one(10), many(10);
        std::vector<double> values;
        for (int i = 0; i < 1000; ++i) {
            one.add(i);
            values.push_back(i);
        }
        many.addMany(values);
        many.addMany({});
        const auto a = one.summary(), b = many.summary();
        QCOMPARE(b.count, std::int64_t(10));
        QCOMPARE(b.count, a.count);
        QCOMPARE(b.p50, a.p50);
        QCOMPARE(b.max, a.max);
        QCOMPARE(many.totalCount(), std::int64_t(1000));
    }

    void latencyWindowForgetsOldSamples()
    {
        LatencyWindow w(100, std::chrono::milliseconds(100));
        w.add(500);
        QTest::qWait(150);
        w.add(5);
        const auto s = w.summary();
        QCOMPARE(s.count, std::int64_t(1));
        QCOMPARE(s.max, 5.0);
    }

    void workloadIsDeterministicForASeed()
    {
        WorkloadGenerator a(1234), b(1234), c(99);
        bool differs = false;
        for (int i = 0; i < 2000; ++i) {
            Event ea = a.next(1000 + i), eb = b.next(1000 + i), ec = c.next(1000 + i);
            QCOMPARE(serialize(ea), serialize(eb));
            differs = differs || serialize(ea) != serialize(ec);
        }
        QVERIFY(differs);
    }

    void workloadShapeAndKeys()
    {
        WorkloadShape shape;
        shape.mentionProbability = 0.3;
        WorkloadGenerator g(7, shape);
        std::map<EventType, int> counts;
        int created = 0, withMentions = 0;
        std::set<std::string> deleted;
        for (int i = 0; i < 20000; ++i) {
            const Event e = g.next(1);
            ++counts[e.type];
            // Every generated event is valid under the strict parser and keyed as PRODUCT.md says.
            const ParseResult p = parseEvent(serialize(e));
            QVERIFY2(p.ok(), p.error ? p.error->toString().c_str() : "");
            std::visit([&](const auto &pl) {
                using T = std::decay_t<decltype(pl)>;
                if constexpr (std::is_same_v<T, MessageCreated>) {
                    ++created;
                    withMentions += pl.mentions.empty() ? 0 : 1;
                    QCOMPARE(e.key(), pl.channelId);
                    QVERIFY(std::find(pl.mentions.begin(), pl.mentions.end(), pl.authorId) == pl.mentions.end());
                } else if constexpr (std::is_same_v<T, MessageUpdated>) {
                    QCOMPARE(e.key(), pl.channelId);
                    QVERIFY2(!deleted.count(pl.messageId), "a deleted message was edited");
                } else if constexpr (std::is_same_v<T, MessageDeleted>) {
                    QCOMPARE(e.key(), pl.channelId);
                    QVERIFY2(deleted.insert(pl.messageId).second, "a message was deleted twice");
                } else if constexpr (std::is_same_v<T, UserActivity>) {
                    QCOMPARE(e.key(), pl.userId);
                }
            }, e.payload);
        }
        QVERIFY(counts[EventType::MessageCreated] > 12000 && counts[EventType::MessageCreated] < 16000);
        QVERIFY(counts[EventType::UserActivity] > 2500);
        QVERIFY(counts[EventType::MessageUpdated] > 1000);
        QVERIFY(counts[EventType::MessageDeleted] > 400);
        const double ratio = double(withMentions) / created;
        QVERIFY2(ratio > 0.25 && ratio < 0.32, QByteArray::number(ratio).constData()); // some picks are the author
    }

    // Each recorded error reaches the banner (or a headless run's output) once: two in the same millisecond both,
    // none twice, and a burst larger than the kept 100 says how many it missed.
    void errorFeedShowsEachErrorOnce()
    {
        PipelineMetrics metrics;
        auto snapshot = [&] {
            Snapshot s;
            s.recentErrors = metrics.errors.copy(&s.errorsRecorded);
            return s;
        };
        ErrorFeed feed;
        QVERIFY(feed.take(snapshot()).errors.empty());
        metrics.errors.push({1000, "search-indexer-1", "HTTP_403", "first"});
        metrics.errors.push({1000, "search-indexer-2", "HTTP_403", "same millisecond"});
        auto news = feed.take(snapshot());
        QCOMPARE(news.errors.size(), std::size_t(2));
        QCOMPARE(news.errors[1].message, std::string("same millisecond"));
        QCOMPARE(news.missed, std::int64_t(0));
        QVERIFY(feed.take(snapshot()).errors.empty());
        metrics.errors.push({999, "producer", "_TRANSPORT", "clock went back"});
        news = feed.take(snapshot());
        QCOMPARE(news.errors.size(), std::size_t(1));
        QCOMPARE(news.errors[0].message, std::string("clock went back"));
        for (int i = 0; i < 150; ++i)
            metrics.errors.push({2000 + i, "producer", "_TRANSPORT", "burst " + std::to_string(i)});
        news = feed.take(snapshot());
        QCOMPARE(news.errors.size(), std::size_t(100));
        QCOMPARE(news.missed, std::int64_t(50));
        QCOMPARE(news.errors.front().message, std::string("burst 50"));
        QCOMPARE(news.errors.back().message, std::string("burst 149"));
        // A new pipeline (after a reconnect) counts from 0 again: its errors are new.
        PipelineMetrics again;
        again.errors.push({5000, "cluster", "_TRANSPORT", "new pipeline"});
        Snapshot fresh;
        fresh.recentErrors = again.errors.copy(&fresh.errorsRecorded);
        news = feed.take(fresh);
        QCOMPARE(news.errors.size(), std::size_t(1));
        QCOMPARE(news.errors[0].message, std::string("new pipeline"));
    }

    void workloadIdsAndReferences()
    {
        // The ids the guide shows (evt_/msg_ with the seed's tag, user_007), mentions written in front of the
        // content ("@user_012 @user_003 ..."), and every edit or delete naming a message created before with its
        // channel and author: what the rebuilder, search and the labs' exercises rely on.
        WorkloadShape shape;
        shape.users = 120; // three-digit ids too
        WorkloadGenerator g(0xabcdef12345ULL, shape);
        const std::string tag = "f12345"; // the seed's low 24 bits, in hex
        std::map<std::string, std::pair<std::string, std::string>> created; // message id -> channel, author
        std::uint64_t messages = 0;
        int withMentions = 0, edits = 0, deletes = 0;
        const auto validUser = [&](const std::string &u) {
            const int n = std::atoi(u.c_str() + 5);
            return u.size() >= 8 && u.rfind("user_", 0) == 0 && n >= 1 && n <= shape.users &&
                   u == "user_" + std::string(n < 10 ? "00" : n < 100 ? "0" : "") + std::to_string(n);
        };
        for (int i = 1; i <= 5000; ++i) {
            const Event e = g.next(1);
            QCOMPARE(e.eventId, "evt_" + tag + "_" + std::to_string(i));
            if (const auto *m = std::get_if<MessageCreated>(&e.payload)) {
                QCOMPARE(m->messageId, "msg_" + tag + "_" + std::to_string(++messages));
                QVERIFY2(validUser(m->authorId), m->authorId.c_str());
                std::string expected;
                for (auto it = m->mentions.rbegin(); it != m->mentions.rend(); ++it) {
                    QVERIFY2(validUser(*it), it->c_str());
                    expected += "@" + *it + " ";
                }
                QVERIFY2(m->content.rfind(expected, 0) == 0, m->content.c_str());
                QVERIFY(m->content.size() > expected.size());
                withMentions += m->mentions.size() > 1 ? 1 : 0;
                created[m->messageId] = {m->channelId, m->authorId};
            } else if (const auto *u = std::get_if<MessageUpdated>(&e.payload)) {
                QVERIFY2(created.count(u->messageId), u->messageId.c_str());
                QCOMPARE(u->channelId, created[u->messageId].first);
                QCOMPARE(u->authorId, created[u->messageId].second);
                ++edits;
            } else if (const auto *d = std::get_if<MessageDeleted>(&e.payload)) {
                QVERIFY2(created.count(d->messageId), d->messageId.c_str());
                QCOMPARE(d->channelId, created[d->messageId].first);
                QCOMPARE(d->deletedBy, created[d->messageId].second);
                ++deletes;
            } else if (const auto *a = std::get_if<UserActivity>(&e.payload)) {
                QVERIFY2(validUser(a->userId), a->userId.c_str());
            }
        }
        QVERIFY(withMentions > 50); // several mentions, so their order is checked
        QVERIFY(edits > 100);
        QVERIFY(deletes > 50);
        QCOMPARE(WorkloadGenerator::userId(7), std::string("user_007"));
        QCOMPARE(WorkloadGenerator::userId(120), std::string("user_120"));
        QCOMPARE(WorkloadGenerator::userId(1234), std::string("user_1234"));
    }

    void kafkaErrorSentenceNamesTheError()
    {
        const auto e = KafkaError::fromCode(RD_KAFKA_RESP_ERR__TRANSPORT);
        QVERIFY(bool(e));
        QVERIFY(e.retriable);
        const QString s = QString::fromStdString(e.sentence());
        QVERIFY(s.startsWith(QStringLiteral("_TRANSPORT: ")));
        QVERIFY(s.contains(QStringLiteral("connection")));
        QVERIFY(!KafkaError::fromCode(RD_KAFKA_RESP_ERR_NO_ERROR));
        // Codes without a plain explanation still carry librdkafka's own text.
        const auto other = KafkaError::fromCode(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
        QVERIFY(QString::fromStdString(other.sentence()).startsWith(QStringLiteral("INVALID_PARTITIONS: ")));
    }

    void topicCountersIgnoreUnknownTopics()
    {
        TopicCounters c;
        c.add(topics::kMessagesCreated, 250);
        c.add(topics::kMessagesCreated, 250);
        c.add("some.other.topic", 1000);
        QCOMPARE(c.messages[topicIndex(topics::kMessagesCreated)].load(), std::int64_t(2));
        QCOMPARE(c.bytes[topicIndex(topics::kMessagesCreated)].load(), std::int64_t(500));
        QCOMPARE(topicIndex("some.other.topic"), -1);
    }

    // Each member pre-fetches at most kPrefetchKiB (librdkafka's default is 64 MiB per consumer), librdkafka accepts
    // the bound, and a cluster profile that sets its own keeps it.
    void memberPrefetchIsBoundedUnlessTheProfileSetsIt()
    {
        kcl::GroupMember::Config cfg;
        cfg.groupId = "g";
        cfg.clientId = "g-1";
        cfg.properties = {{"bootstrap.servers", "127.0.0.1:1"}};
        const auto props = kcl::GroupMember::consumerProperties(cfg);
        QCOMPARE(props.at("queued.max.messages.kbytes"), std::to_string(kcl::GroupMember::kPrefetchKiB));
        QCOMPARE(props.at("enable.auto.commit"), std::string("false"));
        QCOMPARE(props.at("group.id"), std::string("g"));

        const kcl::KafkaHandle rk = kcl::makeHandle(RD_KAFKA_CONSUMER, kcl::makeConf(props));
        char value[64];
        size_t size = sizeof value;
        QCOMPARE(rd_kafka_conf_get(rd_kafka_conf(rk.get()), "queued.max.messages.kbytes", value, &size), RD_KAFKA_CONF_OK);
        QCOMPARE(std::string(value), std::to_string(kcl::GroupMember::kPrefetchKiB));
        size = sizeof value;
        QCOMPARE(rd_kafka_conf_get(rd_kafka_conf(rk.get()), "fetch.max.bytes", value, &size), RD_KAFKA_CONF_OK);
        QVERIFY2(std::stoll(value) <= kcl::GroupMember::kPrefetchKiB * 1024LL, value); // one fetch fits in the bound

        cfg.properties["queued.max.messages.kbytes"] = "65536";
        QCOMPARE(kcl::GroupMember::consumerProperties(cfg).at("queued.max.messages.kbytes"), std::string("65536"));
    }

    // A group's members share one pre-fetch budget: a group of 6 that falls behind holds 64 MiB of pre-fetched
    // payload, not 6 x 32; one or two members keep the full bound, many members no less than the floor.
    void groupMembersShareOnePrefetchBudget()
    {
        using kcl::GroupMember;
        const auto prefetchOf = [](int members) {
            GroupMember::Config cfg;
            cfg.groupId = "g";
            cfg.clientId = "g-1";
            cfg.membersInGroup = members;
            return std::stoi(GroupMember::consumerProperties(cfg).at("queued.max.messages.kbytes"));
        };
        QCOMPARE(prefetchOf(1), 32 * 1024);
        QCOMPARE(prefetchOf(2), 32 * 1024);
        QCOMPARE(prefetchOf(4), 16 * 1024);
        QCOMPARE(prefetchOf(6), 64 * 1024 / 6);
        QCOMPARE(prefetchOf(16), 8 * 1024);
        QCOMPARE(prefetchOf(0), 32 * 1024);
        for (int members = 1; members <= 8; ++members)
            QVERIFY2(prefetchOf(members) * members <= 64 * 1024, qPrintable(QString::number(members)));
    }

    // When a member wakes its fetchers: only after its queue reached librdkafka's limit (count or bytes, whichever
    // comes first) and drained to half of it; once per fill; never for a member whose queue stays low.
    void fetchRestarterWakesOncePerFill()
    {
        kcl::FetchRestarter r(100000, 32 * 1024);  // 100,000 records or 32 MiB
        QCOMPARE(r.limitRecords(100.0), std::int64_t(100000));       // small records: the count binds
        QCOMPARE(r.limitRecords(1024.0), std::int64_t(32 * 1024));   // 1 KiB records: the bytes bind
        const double size = 1024.0;                                   // limit 32,768 records
        // (records queued when a batch was taken, records left after it)
        for (auto [before, after] : {std::pair{0, 0}, {1000, 0}, {20000, 19000}, {25000, 24000}, {16000, 15000}, {1000, 0}})
            QVERIFY(!r.shouldWake(before, after, size)); // below 80%: a member that keeps up
        QVERIFY(!r.shouldWake(33000, 32000, size)); // reached the limit: fetching stopped
        QVERIFY(!r.shouldWake(30000, 29000, size));
        QVERIFY(!r.shouldWake(17385, 16385, size)); // not yet half
        QVERIFY(r.shouldWake(17384, 16384, size));  // half: wake now
        QVERIFY(!r.shouldWake(11000, 10000, size)); // once per fill
        QVERIFY(!r.shouldWake(1000, 0, size));
        QVERIFY(r.shouldWake(27000, 0, size));      // a batch that took the whole full queue at once: wake at once
        QVERIFY(!r.shouldWake(1000, 0, size));
        r.shouldWake(30000, 29000, size);
        r.reset();
        QVERIFY(!r.shouldWake(1000, 0, size));
    }

    // Memory freed after a backlog goes back to the system: 96 MiB of small blocks, freed below a block that stays
    // (so free() alone keeps them resident, as after a drained pre-fetch), leave resident memory once trimmed.
    void heapTrimmerGivesFreedMemoryBack()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer has its own allocator: glibc's heap figures do not describe it");
#elif !defined(__GLIBC__)
        QSKIP("glibc only");
#else
        constexpr std::size_t MiB = 1u << 20;
        constexpr std::size_t kBlock = 4096;
        std::vector<char *> blocks;
        for (std::size_t i = 0; i < 96 * MiB / kBlock; ++i) {
            auto *b = static_cast<char *>(std::malloc(kBlock));
            std::memset(b, 1, kBlock); // resident, not only reserved
            blocks.push_back(b);
        }
        // The last block came from the top of the heap: kept, it stops free() from shrinking the heap under it.
        char *pin = blocks.back();
        blocks.pop_back();
        for (char *b : blocks)
            std::free(b);
        blocks = {};

        QVERIFY2(kcl::HeapTrimmer::heapFigures().freeBytes >= 90 * MiB,
                 qPrintable(QString::number(kcl::HeapTrimmer::heapFigures().freeBytes / MiB)));
        const std::size_t residentFreed = kcl::HeapTrimmer::residentBytes();
        const auto before = kcl::HeapTrimmer::counters();
        // Below the threshold it does not trim.
        QCOMPARE(kcl::HeapTrimmer::trimIfWorthIt(1024 * MiB), std::size_t(0));
        QCOMPARE(kcl::HeapTrimmer::counters().trims, before.trims);

        const std::size_t returned = kcl::HeapTrimmer::trimIfWorthIt();
        const std::size_t residentTrimmed = kcl::HeapTrimmer::residentBytes();
        QVERIFY2(residentTrimmed + 80 * MiB <= residentFreed,
                 qPrintable(QStringLiteral("resident %1 MiB after free, %2 MiB after the trim")
                                .arg(residentFreed / MiB).arg(residentTrimmed / MiB)));
        QVERIFY2(returned >= 80 * MiB, qPrintable(QString::number(returned / MiB)));
        QCOMPARE(kcl::HeapTrimmer::counters().trims, before.trims + 1);
        QVERIFY(kcl::HeapTrimmer::counters().bytesReturned >= before.bytesReturned + returned);
        // Nothing freed since: the next check does not trim again.
        QCOMPARE(kcl::HeapTrimmer::trimIfWorthIt(), std::size_t(0));
        QCOMPARE(kcl::HeapTrimmer::counters().trims, before.trims + 1);
        std::free(pin);
#endif
    }
};

QTEST_GUILESS_MAIN(CoreUnitsTest)
#include "tst_core_units.moc"
