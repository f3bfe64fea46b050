#pragma once
// `kafka-collab-lab watch --cluster X [--group G] [--json] [--cycles N] [--interval-ms MS]`: runs the LagMonitor in
// a loop and prints one line per cycle per group: group, state, members, total lag, max time lag (an estimate,
// marked "~"), rebalances in the last minute, status and its reason; with --json one JSON object per line (the
// group as in `groups --json`, without its partitions). Runs until --cycles N cycles are done or SIGINT/SIGTERM
// arrives (the loop ends after the cycle under way and the exit status is 0; a second signal ends the process).
#include "metrics/LagReport.h"

#include <QStringList>
#include <QTextStream>
#include <nlohmann/json.hpp>

namespace kcl {

int runWatchCommand(const QStringList &args, QTextStream &out, QTextStream &err);

// The line of one group at one cycle (`atMs`: the cycle's wall-clock time), without the newline.
QString watchTextLine(const GroupLagReport &g, std::int64_t atMs);
nlohmann::json watchJsonLine(const GroupLagReport &g, std::int64_t atMs, int cycle);

} // namespace kcl
