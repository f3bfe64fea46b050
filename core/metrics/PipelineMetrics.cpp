#include "metrics/PipelineMetrics.h"

#include <chrono>

namespace kcl {

int topicIndex(std::string_view topic)
{
    for (std::size_t i = 0; i < topics::kAll.size(); ++i)
        if (topics::kAll[i] == topic)
            return static_cast<int>(i);
    return -1;
}

std::int64_t wallClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void PipelineMetrics::recordError(std::string source, const std::string &errorName, std::string message)
{
    errors.push(ErrorRecord{wallClockMs(), std::move(source), errorName, std::move(message)});
}

} // namespace kcl
