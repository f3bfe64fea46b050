#pragma once
// The search indexer's figures in a Snapshot (headless report, labs, GUI); written as SearchCounters (SearchCounters.h).
#include <cstdint>
#include <string>

namespace kcl {

// What the search indexer last saw of the node.
enum SearchNodeState : int {
    kSearchNodeUnknown = -1,
    kSearchNodeDown = 0,     // no answer: not running, unreachable, or no answer in time
    kSearchNodeUp = 1,       // it took the last batch
    kSearchNodeRefusing = 2, // it answers but does not take the writes (a disk block, overload, an HTTP error)
};

struct SearchStats {
    bool running = false;                // the search-indexer service was started
    std::string url, index;
    std::int64_t indexed = 0;            // created/edited message documents the node wrote
    std::int64_t deleted = 0;            // soft-delete documents the node wrote
    std::int64_t versionConflicts = 0;   // 409: the node already had that version or a newer one (a replay)
    std::int64_t bulkRequests = 0;       // _bulk requests that got an answer per document
    std::int64_t bulkFailures = 0;       // _bulk requests that failed whole (node down, 429, 5xx): retried
    std::int64_t retries = 0;
    std::int64_t deadLettered = 0;       // records sent to the dead-letter topic (unparseable or rejected by the node)
    std::int64_t buffered = 0;           // records waiting for their bulk (all members)
    int nodeUp = -1;                     // a SearchNodeState: 1 up, 0 down, 2 answers but refuses, -1 not known yet
    std::string lastError;
    std::int64_t bulkLatencySamples = 0; // successful _bulk round trips in the last 10 s, and their percentiles (ms)
    double bulkP50Ms = 0, bulkP99Ms = 0, bulkMaxMs = 0;
};

} // namespace kcl
