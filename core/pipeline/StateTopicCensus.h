#pragma once
// Reads a topic from its log start to its end as they are now and counts records, distinct keys and tombstones:
// on a compacted topic, the records the log cleaner has not removed yet. Blocks up to `timeoutMs`: call it from a
// thread of its own (Pipeline::censusStateTopic does), never the GUI thread.
#include "metrics/ServiceStats.h"

#include <map>
#include <string>

namespace kcl {

StateTopicCensus censusTopic(const std::map<std::string, std::string> &clusterProperties, const std::string &topic,
                             int timeoutMs = 60000);

} // namespace kcl
