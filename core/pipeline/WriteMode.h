#pragma once
// How the backend's message changes reach Kafka (the CQRS write side's lab switch):
//   direct: the workload produces the events itself (no database);
//   outbox: PostgreSQL row + outbox row in one transaction, the OutboxRelay publishes (nothing lost);
//   naive:  the guide's write-then-publish in two steps (events lost when Kafka is down at that moment).
#include <optional>
#include <string_view>

namespace kcl {

enum class WriteMode { Direct, Outbox, Naive };

constexpr std::string_view writeModeName(WriteMode mode)
{
    switch (mode) {
    case WriteMode::Outbox: return "outbox";
    case WriteMode::Naive: return "naive";
    case WriteMode::Direct: break;
    }
    return "direct";
}

constexpr std::optional<WriteMode> writeModeFromName(std::string_view name)
{
    for (WriteMode m : {WriteMode::Direct, WriteMode::Outbox, WriteMode::Naive})
        if (writeModeName(m) == name)
            return m;
    return std::nullopt;
}

} // namespace kcl
