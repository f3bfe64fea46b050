#pragma once
// `kafka-collab-lab groups --cluster X [--group G] [--json] [--cycles N]`: per partition, like Kafka's
// `kafka-consumer-groups --describe`: group, topic, partition, committed offset, end offset, lag, time lag
// (estimate), member; plus each group's status and its reason.
#include "metrics/LagReport.h"

#include <QStringList>
#include <QTextStream>
#include <nlohmann/json.hpp>

namespace kcl {

int runGroupsCommand(const QStringList &args, QTextStream &out, QTextStream &err);
nlohmann::json lagReportJson(const LagReport &r);
// One group as in `groups --json` (and, without its partitions, as in `watch --json`): status, reason, lag,
// time lag (an estimate), rebalances in the last minute and hour and the join/leave timeline, members.
nlohmann::json groupLagJson(const GroupLagReport &g, bool withPartitions);
nlohmann::json rebalanceTimelineJson(const std::vector<RebalanceRecord> &timeline);
QString lagReportTable(const LagReport &r);

} // namespace kcl
