// Lag arithmetic, time-lag interpolation and the group status rules, with hand-built inputs.
#include "metrics/LagMath.h"
#include "metrics/RingBuffer.h"

#include <QTest>

using namespace kcl;

class LagMathTest : public QObject {
    Q_OBJECT
    static std::vector<LagSample> window(std::initializer_list<std::pair<std::optional<std::int64_t>, std::int64_t>> pts)
    {
        std::vector<LagSample> w;
        std::int64_t t = 0;
        for (const auto &[c, lag] : pts)
            w.push_back({t += 1000, c, lag});
        return w;
    }

private Q_SLOTS:
    void lagArithmetic()
    {
        auto p = computeLag(40, 0, 100);
        QCOMPARE(*p.lag, std::int64_t(60));
        QVERIFY(!p.committedBelowLogStart && !p.committedBeyondLogEnd);
        // No committed offset: unknown, not zero.
        p = computeLag(std::nullopt, 0, 100);
        QVERIFY(!p.lag.has_value());
        // Empty partition, committed at its end.
        p = computeLag(0, 0, 0);
        QCOMPARE(*p.lag, std::int64_t(0));
        // Retention removed records the group never read: lag still counts from the committed offset (as Kafka's tool).
        p = computeLag(10, 500, 900);
        QCOMPARE(*p.lag, std::int64_t(890));
        QVERIFY(p.committedBelowLogStart);
        // Committed beyond the end after truncation: negative, flagged.
        p = computeLag(1200, 0, 1000);
        QCOMPARE(*p.lag, std::int64_t(-200));
        QVERIFY(p.committedBeyondLogEnd);
    }

    void timeLagInterpolates()
    {
        OffsetTimeHistory h;
        h.add(0, 10'000);
        h.add(100, 11'000);
        h.add(300, 12'000);
        // Offset 200 was reached half way between 11 s and 12 s: at 11.5 s; now = 14 s -> 2.5 s behind.
        auto e = h.timeLag(200, 14'000);
        QVERIFY(e.known && !e.lowerBound);
        QCOMPARE(e.seconds, 2.5);
        // Caught up with the newest end offset: zero.
        QCOMPARE(h.timeLag(300, 14'000).seconds, 0.0);
        QCOMPARE(h.timeLag(350, 14'000).seconds, 0.0);
        // Exactly on a sample.
        QCOMPARE(h.timeLag(100, 14'000).seconds, 3.0);
    }

    void timeLagFlatAndOld()
    {
        OffsetTimeHistory h;
        QVERIFY(!h.timeLag(0, 1000).known);
        h.add(50, 1000);
        h.add(50, 2000); // flat: nothing produced
        h.add(50, 3000);
        QVERIFY(h.size() <= 2); // a flat run keeps its ends only
        QCOMPARE(h.timeLag(50, 5000).seconds, 0.0);
        // Older than the history: a lower bound from the first sample.
        auto e = h.timeLag(10, 5000);
        QVERIFY(e.lowerBound);
        QCOMPARE(e.seconds, 4.0);
    }

    void timeLagAfterGapAndTruncation()
    {
        OffsetTimeHistory h;
        h.add(0, 0);
        h.add(1000, 100'000); // a long gap between samples: interpolation spreads over it
        QCOMPARE(h.timeLag(500, 100'000).seconds, 50.0);
        h.add(10, 101'000); // end offset went backwards: the topic was recreated, the history restarts
        QCOMPARE(h.size(), std::size_t(1));
        QVERIFY(h.timeLag(5, 102'000).lowerBound);
    }

    void historyIsBounded()
    {
        OffsetTimeHistory h(10);
        for (int i = 0; i < 1000; ++i)
            h.add(i * 10, i * 1000);
        QCOMPARE(h.size(), std::size_t(10));
        RingBuffer<int> r(3);
        for (int i = 1; i <= 5; ++i)
            r.push(i);
        QCOMPARE(r.toVector(), (std::vector<int>{3, 4, 5}));
        QCOMPARE(r.capacity(), std::size_t(3));
    }

    void statusOkWhenLagTouchesZero()
    {
        auto v = evaluateGroupStatus({window({{10, 5}, {20, 0}, {30, 7}})}, true);
        QCOMPARE(v.status, GroupStatus::Ok);
        QVERIFY(!v.reason.empty());
    }

    void statusWarningWhenLagGrowsEveryInterval()
    {
        auto v = evaluateGroupStatus({window({{10, 5}, {20, 8}, {30, 12}, {40, 20}})}, true);
        QCOMPARE(v.status, GroupStatus::Warning);
        QVERIFY(v.reason.find("slower") != std::string::npos);
    }

    void statusOkWhenLagShrinks()
    {
        auto v = evaluateGroupStatus({window({{10, 50}, {30, 40}, {60, 20}, {90, 5}})}, true);
        QCOMPARE(v.status, GroupStatus::Ok);
    }

    void statusStalledWhenNothingMoves()
    {
        auto v = evaluateGroupStatus({window({{10, 5}, {10, 9}, {10, 20}}), window({{7, 3}, {7, 3}, {7, 3}})}, true);
        QCOMPARE(v.status, GroupStatus::Stalled);
    }

    void statusErrorWhenOnePartitionStops()
    {
        auto v = evaluateGroupStatus({window({{10, 5}, {10, 9}, {10, 20}}), window({{7, 3}, {9, 3}, {12, 2}})}, true);
        QCOMPARE(v.status, GroupStatus::Error);
        QVERIFY(v.reason.find("1 partition") != std::string::npos);
    }

    void statusStoppedWithoutMembers()
    {
        auto v = evaluateGroupStatus({window({{10, 5}, {10, 9}})}, false);
        QCOMPARE(v.status, GroupStatus::Stopped);
        // No members but nothing waiting: OK.
        QCOMPARE(evaluateGroupStatus({window({{10, 0}, {10, 0}})}, false).status, GroupStatus::Ok);
        // A single sample cannot show a trend: only STOPPED or OK.
        QCOMPARE(evaluateGroupStatus({window({{10, 5}})}, true).status, GroupStatus::Ok);
    }

    void statusUnknownCommittedCountsAsStuck()
    {
        auto v = evaluateGroupStatus({window({{std::nullopt, 5}, {std::nullopt, 9}})}, true);
        QCOMPARE(v.status, GroupStatus::Stalled);
    }

    // A librdkafka consumer commits the offset after its last record, so the marker that ends the last transaction
    // keeps lag 1 and the committed offset still: without the markersOnly verdict that is STALLED (or STOPPED).
    void statusOkWhenOnlyTransactionMarkersRemain()
    {
        auto caughtUp = window({{100, 1}, {100, 1}, {100, 1}, {100, 1}});
        QCOMPARE(evaluateGroupStatus({caughtUp}, true).status, GroupStatus::Stalled); // the numbers alone
        caughtUp.back().markersOnly = true;
        auto v = evaluateGroupStatus({caughtUp}, true);
        QCOMPARE(v.status, GroupStatus::Ok);
        QVERIFY2(v.reason.find("only transaction markers remain after the committed offset") != std::string::npos, v.reason.c_str());
        // Nothing waits, so a group without members is not STOPPED either.
        QCOMPARE(evaluateGroupStatus({caughtUp}, false).status, GroupStatus::Ok);
        // Markers on one partition do not hide a real stall on another; the waiting count leaves the marker out.
        const auto stuck = window({{7, 3}, {7, 3}, {7, 3}, {7, 3}});
        v = evaluateGroupStatus({caughtUp, stuck}, true);
        QCOMPARE(v.status, GroupStatus::Stalled);
        QVERIFY2(v.reason.find("while 3 events wait") != std::string::npos, v.reason.c_str());
        v = evaluateGroupStatus({caughtUp, stuck}, false);
        QCOMPARE(v.status, GroupStatus::Stopped);
        QVERIFY2(v.reason.find(" 3 events wait") != std::string::npos, v.reason.c_str());
        // Next to a partition that progresses: OK, and the reason still explains the markers.
        v = evaluateGroupStatus({caughtUp, window({{10, 50}, {30, 40}, {60, 20}, {90, 5}})}, true);
        QCOMPARE(v.status, GroupStatus::Ok);
        QVERIFY(v.reason.find("transaction markers") != std::string::npos);
        // Only the newest sample's verdict counts: an old one says nothing about the offsets now.
        auto old = window({{100, 1}, {100, 1}, {100, 1}, {100, 1}});
        old.front().markersOnly = true;
        QCOMPARE(evaluateGroupStatus({old}, true).status, GroupStatus::Stalled);
    }

    // Rebalances in the last minute and hour, with hand-made timestamps (ms).
    void rebalanceFrequencyOverMinuteAndHour()
    {
        RebalanceWindow w;
        QCOMPARE(w.counts(1'000'000).lastMinute, 0);
        QCOMPARE(w.counts(1'000'000).lastHour, 0);
        const std::int64_t now = 10'000'000;
        for (const std::int64_t age : {0, 1'000, 59'999, 60'000, 60'001, 600'000, 3'599'999, 3'600'000})
            w.add(now - age);
        auto c = w.counts(now);
        QCOMPARE(c.lastMinute, 4);        // 0, 1 s, 59.999 s and exactly 60 s
        QCOMPARE(c.lastHour, 8);          // all of them, exactly 3600 s included
        // Ten seconds later (ages 10 s, 11 s, 69.999 s, 70 s, 70.001 s, 610 s, 3609.999 s, 3610 s).
        c = w.counts(now + 10'000);
        QCOMPARE(c.lastMinute, 2);
        QCOMPARE(c.lastHour, 6);
        // Adding a moment drops those more than an hour older than it; exactly an hour stays.
        w.add(now + 3'600'000);
        QCOMPARE(w.size(), std::size_t(2));
        c = w.counts(now + 3'600'000);
        QCOMPARE(c.lastMinute, 1);
        QCOMPARE(c.lastHour, 2);
        // A moment after "now" (the wall clock stepped back) counts as now.
        RebalanceWindow stepped;
        stepped.add(now + 5'000);
        QCOMPARE(stepped.counts(now).lastMinute, 1);
        QCOMPARE(stepped.counts(now).lastHour, 1);
    }

    // More rebalances than the timeline keeps (100) still count: one a second for 500 s.
    void rebalanceFrequencyIsNotCappedByTheTimeline()
    {
        RebalanceWindow w;
        for (std::int64_t t = 1'000; t <= 500'000; t += 1'000)
            w.add(t);
        const auto c = w.counts(500'000);
        QCOMPARE(c.lastHour, 500);
        QCOMPARE(c.lastMinute, 61); // ages 0 s to 60 s
        QCOMPARE(w.counts(500'000 + 3'600'000).lastHour, 1); // only the one exactly an hour old
        QCOMPARE(w.counts(500'000 + 3'600'001).lastHour, 0);
    }
};

QTEST_GUILESS_MAIN(LagMathTest)
#include "tst_lagmath.moc"
