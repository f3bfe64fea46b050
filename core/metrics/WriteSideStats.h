#pragma once
// The CQRS write side in a snapshot: how many message changes were written to PostgreSQL, how many of their events
// reached Kafka (through the outbox relay, or directly in the naive mode), how many wait, and how many the naive
// mode lost. Plain values, copied into each Snapshot.
#include <cstdint>
#include <string>

namespace kcl {

struct WriteSideLatency {                 // milliseconds over the last seconds
    std::int64_t count = 0;
    double p50 = 0, p99 = 0, max = 0;
};

struct WriteSideStats {
    std::string mode = "direct";          // "direct" (no PostgreSQL), "outbox" or "naive"
    std::int64_t posted = 0;              // message changes committed to PostgreSQL
    std::int64_t writeErrors = 0;         // commands refused or failed in PostgreSQL (nothing committed)
    std::int64_t relayed = 0;             // outbox rows acknowledged by Kafka and marked sent
    std::int64_t relayFailures = 0;       // outbox deliveries that failed (the rows stay and are retried)
    std::int64_t pending = 0;             // outbox rows not yet sent (as last counted by the relay)
    std::int64_t oldestPendingAgeMs = 0;  // age of the oldest unsent outbox row (0 when none)
    std::int64_t naivePublished = 0;      // naive mode: events acknowledged by Kafka after their row committed
    std::int64_t naiveLost = 0;           // naive mode: rows committed whose event never reached Kafka
    bool kafkaReachable = true;           // the relay's (or naive producer's) last delivery succeeded
    WriteSideLatency postLatency;         // the PostgreSQL part of a command (transaction to commit), ms
    WriteSideLatency relayLag;            // outbox row created to acknowledged by Kafka, ms
    std::string lastError;                // a readable sentence, "" when none
};

} // namespace kcl
