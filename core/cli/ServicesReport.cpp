#include "cli/ServicesReport.h"

namespace kcl {
namespace {

nlohmann::json countsJson(const CountByName &counts)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &[name, n] : counts)
        out.push_back({{"name", name}, {"count", n}});
    return out;
}

} // namespace

nlohmann::json serviceStatsJson(const ServiceStats &s)
{
    nlohmann::json j;
    const auto &a = s.archive;
    j["archive"] = {{"directory", a.directory}, {"lines", a.lines}, {"bytes", a.bytes},
                    {"duplicates_skipped", a.duplicatesSkipped}, {"flushes", a.flushes},
                    {"repaired_tails", a.repairedTails}};
    const auto &n = s.analytics;
    nlohmann::json windows = nlohmann::json::array();
    for (const auto &w : n.recentWindows)
        windows.push_back({{"start_ms", w.startMs}, {"closed", w.closed}, {"messages", w.messages},
                           {"activities", w.activities}, {"late_events", w.lateEvents}, {"active_users", w.activeUsers},
                           {"top_channels", countsJson(w.topChannels)}, {"top_authors", countsJson(w.topAuthors)},
                           {"top_mentioned", countsJson(w.topMentioned)}});
    j["analytics"] = {{"events", n.events}, {"late_events", n.lateEvents}, {"expired_events", n.expiredEvents},
                      {"watermark_ms", n.watermarkMs}, {"windows_closed", n.windowsClosed}, {"recent_windows", windows}};
    const auto &r = s.rebuilder;
    j["rebuilder"] = {{"applied", r.applied}, {"stale", r.stale}, {"messages", r.messages}, {"deleted", r.deleted},
                      {"caught_up", r.caughtUp}, {"state_published", r.statePublished},
                      {"state_published_total", r.statePublishedTotal}, {"state_topic", r.stateTopic}};
    if (r.census.done || !r.census.error.empty())
        j["rebuilder"]["state_topic_census"] = {{"records", r.census.records}, {"keys", r.census.keys},
                                                {"tombstones", r.census.tombstones},
                                                {"published_before", r.census.publishedBefore},
                                                {"at_ms", r.census.atMs}, {"error", r.census.error}};
    if (r.differences >= 0) {
        j["rebuilder"]["differences"] = r.differences;
        j["rebuilder"]["last_comparison"] = r.lastComparison;
    }
    return j;
}

std::optional<double> serviceMetric(const ServiceStats &s, const QString &path)
{
    const QString head = path.section(QLatin1Char('.'), 0, 0);
    const QString field = path.section(QLatin1Char('.'), 1);
    if (head == QStringLiteral("archive")) {
        if (field == QStringLiteral("lines")) return double(s.archive.lines);
        if (field == QStringLiteral("bytes")) return double(s.archive.bytes);
        if (field == QStringLiteral("duplicates_skipped")) return double(s.archive.duplicatesSkipped);
        if (field == QStringLiteral("repaired_tails")) return double(s.archive.repairedTails);
    } else if (head == QStringLiteral("analytics")) {
        if (field == QStringLiteral("events")) return double(s.analytics.events);
        if (field == QStringLiteral("late_events")) return double(s.analytics.lateEvents);
        if (field == QStringLiteral("expired_events")) return double(s.analytics.expiredEvents);
        if (field == QStringLiteral("windows_closed")) return double(s.analytics.windowsClosed);
        if (field == QStringLiteral("active_users")) // in the newest window
            return s.analytics.recentWindows.empty() ? std::nullopt
                                                     : std::optional<double>(double(s.analytics.recentWindows.back().activeUsers));
    } else if (head == QStringLiteral("rebuilder")) {
        if (field == QStringLiteral("messages")) return double(s.rebuilder.messages);
        if (field == QStringLiteral("applied")) return double(s.rebuilder.applied);
        if (field == QStringLiteral("stale")) return double(s.rebuilder.stale);
        if (field == QStringLiteral("caught_up")) return s.rebuilder.caughtUp ? 1.0 : 0.0;
        if (field == QStringLiteral("differences"))
            return s.rebuilder.differences < 0 ? std::nullopt : std::optional<double>(double(s.rebuilder.differences));
        if (field == QStringLiteral("state_published")) return double(s.rebuilder.statePublished);
    } else if (head == QStringLiteral("state_topic")) { // the last census of the compacted latest-state topic
        const StateTopicCensus &c = s.rebuilder.census;
        if (field == QStringLiteral("published_total")) return double(s.rebuilder.statePublishedTotal);
        if (!c.done)
            return std::nullopt;
        if (field == QStringLiteral("records")) return double(c.records);
        if (field == QStringLiteral("keys")) return double(c.keys);
        if (field == QStringLiteral("tombstones")) return double(c.tombstones);
        if (c.keys > 0 && field == QStringLiteral("records_per_key")) return double(c.records) / double(c.keys);
        if (c.keys > 0 && field == QStringLiteral("written_per_key")) return double(c.publishedBefore) / double(c.keys);
    }
    return std::nullopt;
}

} // namespace kcl
