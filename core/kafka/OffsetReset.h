#pragma once
// Resetting a group's committed offsets, as `kafka-consumer-groups --reset-offsets --to-earliest|--to-latest
// --execute` does. Kafka accepts the commit only while the group has no members, so callers stop the group's
// members first. Blocks up to its timeout: call it from a worker or engine thread, never the GUI thread.
#include "kafka/KafkaError.h"

#include <map>
#include <string>
#include <vector>

namespace kcl {

enum class OffsetResetTarget { Earliest, Latest };

struct OffsetResetResult {
    int partitions = 0;            // partitions whose committed offset was set
    std::int64_t moved = 0;        // sum over partitions of (new offset - old committed offset); negative = rewound
};

// Commits, for `groupId`, the log start (Earliest) or end (Latest) offset of every partition of `topics`, using a
// short-lived consumer handle of its own that never joins the group.
KafkaError resetGroupOffsets(const std::map<std::string, std::string> &clusterProperties, const std::string &groupId,
                             const std::vector<std::string> &topics, OffsetResetTarget target,
                             OffsetResetResult *result = nullptr, int timeoutMs = 10000);

} // namespace kcl
