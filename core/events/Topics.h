#pragma once
// The guide's five topics plus the dead-letter topic. Names are fixed by SEED.md.
#include <array>
#include <string_view>

namespace kcl::topics {
inline constexpr std::string_view kMessagesCreated = "platform.messages.created";
inline constexpr std::string_view kMessagesUpdated = "platform.messages.updated";
inline constexpr std::string_view kMessagesDeleted = "platform.messages.deleted";
inline constexpr std::string_view kNotificationsSent = "platform.notifications.sent";
inline constexpr std::string_view kUsersActivity = "platform.users.activity";
inline constexpr std::string_view kDeadLetter = "platform.deadletter";

inline constexpr std::array<std::string_view, 6> kAll = {
    kMessagesCreated, kMessagesUpdated, kMessagesDeleted, kNotificationsSent, kUsersActivity, kDeadLetter};
} // namespace kcl::topics
