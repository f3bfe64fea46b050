#pragma once
// The guide's event envelope {event_type, event_id, timestamp(ms), payload} and its payloads.
// Parsing is strict and total: any byte string yields either an Event or a ParseError naming the field;
// nothing here throws to the caller.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kcl {

enum class EventType { MessageCreated, MessageUpdated, MessageDeleted, NotificationSent, UserActivity };

// "message.created", "message.updated", "message.deleted", "notification.sent", "user.activity"
std::string_view eventTypeName(EventType t);
std::optional<EventType> eventTypeFromName(std::string_view name);
// The topic each event type is published to (see Topics.h).
std::string_view topicFor(EventType t);

struct Attachment {
    std::string name;
    std::string url;
    std::int64_t sizeBytes = 0;
    bool operator==(const Attachment &) const = default;
};

struct MessageCreated {   // payload of message.created
    std::string messageId, channelId, authorId, content;
    std::vector<std::string> mentions;
    std::vector<Attachment> attachments;
    bool operator==(const MessageCreated &) const = default;
};
struct MessageUpdated {   // payload of message.updated
    std::string messageId, channelId, authorId, content;
    std::vector<std::string> mentions;
    std::int64_t editedAtMs = 0;
    bool operator==(const MessageUpdated &) const = default;
};
struct MessageDeleted {   // payload of message.deleted
    std::string messageId, channelId, deletedBy;
    bool operator==(const MessageDeleted &) const = default;
};
struct NotificationSent { // payload of notification.sent
    std::string notificationId, recipientId, messageId, channelId, authorId;
    std::string title;    // "새 멘션" (New mention)
    std::string body;     // the message content
    std::int64_t createdAtMs = 0;  // the source event's timestamp
    std::int64_t notifiedAtMs = 0; // when the notification service handled it
    bool operator==(const NotificationSent &) const = default;
};
struct UserActivity {     // payload of user.activity
    std::string userId, action, channelId; // action: login, logout, join_channel, leave_channel, typing, read
    bool operator==(const UserActivity &) const = default;
};

using Payload = std::variant<MessageCreated, MessageUpdated, MessageDeleted, NotificationSent, UserActivity>;

// The event type a payload is published as (the payload decides, whatever Event::type says).
EventType eventTypeOf(const Payload &p);

// The actions a user.activity event may carry; the parsers refuse any other.
inline constexpr std::array<std::string_view, 6> kUserActions = {"login", "logout", "join_channel", "leave_channel",
                                                                 "typing", "read"};

struct Event {
    EventType type = EventType::MessageCreated;
    std::string eventId;
    std::int64_t timestampMs = 0;
    Payload payload;
    bool operator==(const Event &) const = default;

    // Partition key as PRODUCT.md says: messages by channel_id, activity by user id,
    // notifications by recipient.
    std::string key() const;
};

struct ParseError {
    std::string field;   // JSON path of the offending field, e.g. "payload.mentions[2]"; "" for the document
    std::string reason;  // a readable sentence, e.g. "expected a string, found a number"
    std::string toString() const; // "payload.mentions[2]: expected a string, found a number"
};

// Exactly one of event / error is set.
struct ParseResult {
    std::optional<Event> event;
    std::optional<ParseError> error;
    bool ok() const { return event.has_value(); }
};

// Limits enforced by the parser (strings longer than this are rejected, not truncated).
inline constexpr std::size_t kMaxEventBytes = 1 << 20;      // whole document
inline constexpr std::size_t kMaxStringBytes = 64 * 1024;   // any one string field
inline constexpr std::size_t kMaxListItems = 1000;          // mentions, attachments

std::string serialize(const Event &e);               // compact JSON, UTF-8
// The same into `out` (replaced), keeping its capacity: a loop that sends event after event allocates once.
void serializeInto(const Event &e, std::string &out);
ParseResult parseEvent(std::string_view bytes) noexcept;

namespace detail {
// The nlohmann paths alone, without the hot path of FastEventCodec.h: the reference the tests compare it with.
std::string serializeWithNlohmann(const Event &e);
ParseResult parseEventWithNlohmann(std::string_view bytes) noexcept;
} // namespace detail

} // namespace kcl
