#pragma once
// The analytics, archive and state-rebuilder figures in the headless JSON report and as lab metrics.
#include "metrics/ServiceStats.h"

#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

namespace kcl {

// {"archive": {...}, "analytics": {...}, "rebuilder": {...}} for the report.
nlohmann::json serviceStatsJson(const ServiceStats &s);

// A lab metric under "archive.", "analytics." or "rebuilder." (e.g. archive.lines, analytics.late_events,
// rebuilder.differences, rebuilder.caught_up as 0/1); nullopt when `path` names none (or it has no value yet).
std::optional<double> serviceMetric(const ServiceStats &s, const QString &path);

} // namespace kcl
