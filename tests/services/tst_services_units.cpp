// Unit tests (no cluster) of the services' logic with hand-built events: analytics windows (boundaries, late and
// expired events, top-N ties), the rebuilder's versioned apply (order across topics not guaranteed), and the
// archive's tail reading (highest offset across date partitions, an incomplete last line cut off).
#include "events/Event.h"
#include "metrics/AnalyticsWindows.h"
#include "pipeline/ArchiveService.h"
#include "pipeline/StateRebuilder.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace kcl;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kT0 = 1'790'000'040'000; // a minute boundary (divisible by 60000)

Event created(const std::string &id, std::int64_t ts, const std::string &channel, const std::string &author,
              std::vector<std::string> mentions = {}, const std::string &content = "hello")
{
    Event e;
    e.type = EventType::MessageCreated;
    e.eventId = "evt_c_" + id + "_" + std::to_string(ts);
    e.timestampMs = ts;
    e.payload = MessageCreated{id, channel, author, content, std::move(mentions), {}};
    return e;
}

Event updated(const std::string &id, std::int64_t ts, const std::string &content, std::vector<std::string> mentions = {})
{
    Event e;
    e.type = EventType::MessageUpdated;
    e.eventId = "evt_u_" + id + "_" + std::to_string(ts);
    e.timestampMs = ts;
    e.payload = MessageUpdated{id, "ch_dev", "user_001", content, std::move(mentions), ts};
    return e;
}

Event deleted(const std::string &id, std::int64_t ts)
{
    Event e;
    e.type = EventType::MessageDeleted;
    e.eventId = "evt_d_" + id + "_" + std::to_string(ts);
    e.timestampMs = ts;
    e.payload = MessageDeleted{id, "ch_dev", "user_001"};
    return e;
}

Event activity(const std::string &user, std::int64_t ts)
{
    Event e;
    e.type = EventType::UserActivity;
    e.eventId = "evt_a_" + user + "_" + std::to_string(ts);
    e.timestampMs = ts;
    e.payload = UserActivity{user, "typing", "ch_dev"};
    return e;
}

void writeFile(const fs::path &p, const std::string &content)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

std::string line(std::int64_t offset) { return "{\"topic\":\"t\",\"partition\":0,\"offset\":" + std::to_string(offset) + ",\"event\":{}}\n"; }

} // namespace

class ServicesUnitTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void windowBoundariesAreEventTimeMinutes()
    {
        AnalyticsWindows w(10'000, 60);
        QCOMPARE(AnalyticsWindows::windowStart(kT0), kT0);
        QCOMPARE(AnalyticsWindows::windowStart(kT0 + kMinute - 1), kT0);
        QCOMPARE(AnalyticsWindows::windowStart(kT0 - 1), kT0 - kMinute);
        QCOMPARE(AnalyticsWindows::windowStart(-1), -kMinute);
        QCOMPARE(w.add(created("m1", kT0, "ch_dev", "user_001", {"user_002", "user_002", "user_003"})),
                 AnalyticsWindows::Outcome::OnTime);
        QCOMPARE(w.add(created("m2", kT0 + kMinute - 1, "ch_dev", "user_002")), AnalyticsWindows::Outcome::OnTime);
        QCOMPARE(w.add(created("m3", kT0 + kMinute, "ch_ops", "user_001")), AnalyticsWindows::Outcome::OnTime);
        QCOMPARE(w.add(activity("user_009", kT0 + 5)), AnalyticsWindows::Outcome::OnTime);
        AnalyticsWindowStats first, second;
        QVERIFY(w.window(kT0, first));
        QVERIFY(w.window(kT0 + kMinute, second));
        QCOMPARE(first.messages, 2);
        QCOMPARE(first.activities, 1);
        QCOMPARE(first.activeUsers, 3); // user_001, user_002 (authors), user_009 (activity); mentions are not activity
        QCOMPARE(first.topChannels, (CountByName{{"ch_dev", 2}}));
        QCOMPARE(first.topMentioned, (CountByName{{"user_002", 1}, {"user_003", 1}})); // one mention per message
        QCOMPARE(second.messages, 1);
        QCOMPARE(second.topChannels, (CountByName{{"ch_ops", 1}}));
        QVERIFY(!first.closed); // watermark = kT0 + 60 s - 10 s: the first window ends after it
    }

    void lateEventsAreCountedNotDropped()
    {
        AnalyticsWindows w(10'000, 60);
        w.add(created("m1", kT0 + 1000, "ch_dev", "user_001"));
        // Within the allowed lateness: the first window is still open.
        QCOMPARE(w.add(created("m2", kT0 + kMinute + 9'000, "ch_dev", "user_001")), AnalyticsWindows::Outcome::OnTime);
        QCOMPARE(w.add(created("m3", kT0 + 2000, "ch_dev", "user_002")), AnalyticsWindows::Outcome::OnTime);
        // The watermark passes the first window's end: it closes.
        w.add(created("m4", kT0 + kMinute + 10'000, "ch_dev", "user_001"));
        AnalyticsWindowStats first;
        QVERIFY(w.window(kT0, first));
        QVERIFY(first.closed);
        QCOMPARE(w.add(created("m5", kT0 + 3000, "ch_ops", "user_004")), AnalyticsWindows::Outcome::Late);
        QVERIFY(w.window(kT0, first));
        QCOMPARE(first.messages, 3);          // still added to its window
        QCOMPARE(first.lateEvents, 1);
        QCOMPARE(first.activeUsers, 3);
        const AnalyticsStats s = w.stats();
        QCOMPARE(s.events, 5);
        QCOMPARE(s.lateEvents, 1);
        QCOMPARE(s.windowsClosed, 1);
        QCOMPARE(s.watermarkMs, kT0 + kMinute);
        // A late event for a window never seen opens it closed.
        QCOMPARE(w.add(activity("user_007", kT0 - 5 * kMinute)), AnalyticsWindows::Outcome::Late);
        AnalyticsWindowStats older;
        QVERIFY(w.window(kT0 - 5 * kMinute, older));
        QVERIFY(older.closed);
        QCOMPARE(older.lateEvents, 1);
    }

    void memoryIsBoundedAndOlderEventsExpire()
    {
        AnalyticsWindows w(0, 3);
        for (int i = 0; i < 5; ++i)
            w.add(created("m" + std::to_string(i), kT0 + i * kMinute, "ch_dev", "user_001"));
        const AnalyticsStats s = w.stats();
        QCOMPARE(s.recentWindows.size(), std::size_t(3));
        QCOMPARE(s.recentWindows.front().startMs, kT0 + 2 * kMinute);
        QCOMPARE(s.recentWindows.back().startMs, kT0 + 4 * kMinute);
        QCOMPARE(w.add(created("old", kT0, "ch_dev", "user_001")), AnalyticsWindows::Outcome::Expired);
        QCOMPARE(w.stats().expiredEvents, 1);
        QCOMPARE(w.stats().lateEvents, 1);
        // Non-countable events are ignored.
        Event n;
        n.type = EventType::NotificationSent;
        n.timestampMs = kT0 + 4 * kMinute;
        n.payload = NotificationSent{};
        QCOMPARE(w.add(n), AnalyticsWindows::Outcome::Ignored);
    }

    void topNBreaksTiesByName()
    {
        const std::map<std::string, std::int64_t> counts{{"user_c", 2}, {"user_a", 2}, {"user_b", 5}, {"user_d", 1}};
        QCOMPARE(AnalyticsWindows::top(counts, 3), (CountByName{{"user_b", 5}, {"user_a", 2}, {"user_c", 2}}));
        QCOMPARE(AnalyticsWindows::top(counts, 10).size(), std::size_t(4));
        QCOMPARE(AnalyticsWindows::top(counts, 0).size(), std::size_t(0));
    }

    void rebuilderAppliesByVersionNotArrival()
    {
        MessageStateStore store;
        // The update and the delete of one message arrive before its creation (separate topics).
        QCOMPARE(store.apply(updated("m1", kT0 + 200, "edited", {"user_005"})), MessageStateStore::Outcome::Applied);
        QCOMPARE(store.apply(created("m1", kT0, "ch_dev", "user_001", {"user_002"}, "original")),
                 MessageStateStore::Outcome::Applied);
        auto m1 = store.find("m1");
        QVERIFY(m1);
        QCOMPARE(m1->content, std::string("edited"));      // the creation never overwrites a newer edit
        QCOMPARE(m1->mentions, (std::vector<std::string>{"user_005"}));
        QCOMPARE(m1->createdAtMs, kT0);
        QCOMPARE(m1->updatedAtMs, kT0 + 200);
        QCOMPARE(store.apply(updated("m1", kT0 + 100, "older edit")), MessageStateStore::Outcome::Stale);
        QCOMPARE(store.find("m1")->content, std::string("edited"));
        QCOMPARE(store.apply(deleted("m1", kT0 + 300)), MessageStateStore::Outcome::Applied);
        QCOMPARE(store.apply(updated("m1", kT0 + 400, "after delete")), MessageStateStore::Outcome::Stale); // final
        m1 = store.find("m1");
        QVERIFY(m1->deleted);
        QCOMPARE(m1->content, std::string("edited")); // a soft delete keeps the row
        QCOMPARE(m1->updatedAtMs, kT0 + 300);
        QCOMPARE(store.apply(deleted("m1", kT0 + 500)), MessageStateStore::Outcome::Stale);
        // An edit made before the delete but read after it (another topic) still counts.
        QCOMPARE(store.apply(deleted("m2", kT0 + 300)), MessageStateStore::Outcome::Applied);
        QCOMPARE(store.apply(updated("m2", kT0 + 250, "edited before the delete")), MessageStateStore::Outcome::Applied);
        QCOMPARE(store.apply(created("m2", kT0, "ch_dev", "user_001", {}, "first")), MessageStateStore::Outcome::Applied);
        const auto m2 = store.find("m2");
        QCOMPARE(m2->content, std::string("edited before the delete"));
        QCOMPARE(m2->updatedAtMs, kT0 + 300);
        QVERIFY(m2->deleted);
        QCOMPARE(store.apply(created("m1", kT0, "ch_dev", "user_001")), MessageStateStore::Outcome::Stale); // redelivery
        QCOMPARE(store.apply(activity("user_001", kT0)), MessageStateStore::Outcome::NotAMessageEvent);
        QCOMPARE(store.size(), std::size_t(2));
        QCOMPARE(store.deletedCount(), std::size_t(2));
        const std::string json = messageStateJson("m1", *m1);
        QVERIFY(json.find("\"deleted\":true") != std::string::npos);
        QVERIFY(json.find("\"message_id\":\"m1\"") != std::string::npos);
    }

    void replayProgressReachesTheEndOffsetsTakenAtStart()
    {
        ReplayProgress progress;
        QVERIFY(!progress.caughtUp()); // no targets yet
        progress.setTargets({{{"t", 0}, 3}, {{"t", 1}, 1}});
        progress.recordRead("t", 0, 1);
        progress.recordRead("t", 1, 0);
        QVERIFY(!progress.caughtUp());
        progress.recordRead("t", 0, 2);
        QVERIFY(progress.caughtUp());
        ReplayProgress empty;
        empty.setTargets({});
        QVERIFY(empty.caughtUp()); // nothing to replay
    }

    void archiveTailGivesHighestOffsetAndCutsAnIncompleteLine()
    {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        QCOMPARE(highestArchivedOffset(dir, "t", 0, true), std::int64_t(-1));
        writeFile(dir / "dt=2026-12-01" / "t-0.jsonl", line(0) + line(1) + line(7));
        // The next day's file of the same partition, with a line cut by a crash.
        const fs::path second = dir / "dt=2026-12-02" / "t-0.jsonl";
        std::string big = line(8);
        big.insert(big.find("\"event\":{}"), "\"pad\":\"" + std::string(200'000, 'x') + "\",");
        writeFile(second, big + line(9) + "{\"topic\":\"t\",\"partition\":0,\"offs");
        writeFile(dir / "dt=2026-12-02" / "t-1.jsonl", line(4));
        QCOMPARE(highestArchivedOffset(dir, "t", 0, false), std::int64_t(9));
        QVERIFY(fs::file_size(second) > big.size() + line(9).size()); // not repaired without `repair`
        int repaired = 0;
        QCOMPARE(highestArchivedOffset(dir, "t", 0, true, &repaired), std::int64_t(9));
        QCOMPARE(repaired, 1);
        QCOMPARE(fs::file_size(second), big.size() + line(9).size());
        QCOMPARE(highestArchivedOffset(dir, "t", 1, true), std::int64_t(4));
        // A file whose only line is a long one (longer than one read chunk).
        writeFile(dir / "dt=2026-12-03" / "t-2.jsonl", big);
        QCOMPARE(highestArchivedOffset(dir, "t", 2, true), std::int64_t(8));
        QCOMPARE(archiveDatePartition(kT0), std::string("dt=2026-09-21"));
    }
};

QTEST_GUILESS_MAIN(ServicesUnitTest)
#include "tst_services_units.moc"
