#pragma once
// What the analytics, archive and state-rebuilder services report in a Snapshot: plain values copied from
// ServiceMetrics by the engine thread.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kcl {

struct ArchiveStats {
    std::string directory;                 // where the date-partitioned JSON-lines files are
    std::int64_t lines = 0;                // lines appended (one per archived record)
    std::int64_t bytes = 0;
    std::int64_t duplicatesSkipped = 0;    // records at or below the highest archived offset (re-read after a crash)
    std::int64_t flushes = 0;              // flush + fsync before a commit
    std::int64_t repairedTails = 0;        // incomplete last lines (a crash mid-write) removed before appending
};

using CountByName = std::vector<std::pair<std::string, std::int64_t>>; // highest count first, then by name

struct AnalyticsWindowStats {
    std::int64_t startMs = 0;              // window [startMs, startMs + 60 s), event time, UTC
    bool closed = false;                   // the watermark passed its end
    std::int64_t messages = 0;             // message.created events
    std::int64_t activities = 0;           // user.activity events
    std::int64_t lateEvents = 0;           // events that arrived after the window closed (still counted here)
    std::int64_t activeUsers = 0;          // distinct users with a message, an edit, a delete or an activity
    CountByName topChannels;               // messages per channel (top 5)
    CountByName topAuthors;                // messages per user (top 5)
    CountByName topMentioned;              // mentions per user (top 5)
};

struct AnalyticsStats {
    std::int64_t events = 0;               // events counted into a window
    std::int64_t lateEvents = 0;           // of which arrived after their window closed
    std::int64_t expiredEvents = 0;        // older than every kept window: counted here only
    std::int64_t watermarkMs = 0;          // max event time seen - allowed lateness
    std::int64_t windowsClosed = 0;
    std::vector<AnalyticsWindowStats> recentWindows; // newest last (bounded)
};

// A census of the compacted latest-state topic: every record from the log start to the end, read back. Compared
// with what the rebuilders wrote, it shows what the log cleaner removed (older states of a key).
struct StateTopicCensus {
    bool done = false;                     // a census finished (records/keys below are its figures)
    bool running = false;
    std::int64_t records = 0;              // records in the topic now, tombstones included
    std::int64_t keys = 0;                 // distinct keys (message ids) among them
    std::int64_t tombstones = 0;           // records with no value: deleted messages
    std::int64_t publishedBefore = 0;      // records the rebuilders had written when the census began
    std::int64_t atMs = 0;                 // wall clock when it finished
    std::string error;                     // why it did not finish ("" when it did)
};

struct RebuilderStats {
    std::int64_t applied = 0;              // events that changed the rebuilt state
    std::int64_t stale = 0;                // older than the state they met (out of order across topics): ignored
    std::int64_t messages = 0;             // messages in the rebuilt state
    std::int64_t deleted = 0;              // of which soft-deleted
    bool caughtUp = false;                 // read everything that existed when the replay began
    std::int64_t differences = -1;         // against the write model at the last comparison; -1: not compared
    std::string lastComparison;            // a readable summary of it
    std::int64_t statePublished = 0;       // records sent to the compacted latest-state topic (this replay)
    std::int64_t statePublishedTotal = 0;  // the same over every replay of this run
    StateTopicCensus census;               // the last census of the latest-state topic
    std::string stateTopic;                // "" when not published (the embedded cluster has no compaction)
};

struct ServiceStats {
    ArchiveStats archive;
    AnalyticsStats analytics;
    RebuilderStats rebuilder;
};

} // namespace kcl
