#include "events/Event.h"

#include "events/FastEventCodec.h"
#include "events/Topics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>

namespace kcl {

namespace {

using json = nlohmann::json;          // parsing: std::map objects, O(log n) duplicate-key checks
using ojson = nlohmann::ordered_json; // serializing: keeps the guide's field order

// Deeper than this is never a valid event (the deepest real path is payload.attachments[i].name, depth 4).
// nlohmann 3.11's parser and destructor are iterative, but we still refuse absurd nesting before parsing:
// it costs one linear scan and keeps every later step (validation, dump) trivially bounded.
constexpr std::size_t kMaxDepth = 64;

// ---------------------------------------------------------------------------------------------------------
// Small text helpers. Every reason we produce is printable ASCII, whatever bytes the input held.

// A JSON-quoted, ASCII-only, length-capped rendering of user text for use inside error messages.
std::string quoteForMessage(std::string_view s, std::size_t maxBytes = 40)
{
    const bool cut = s.size() > maxBytes;
    std::string head(s.substr(0, cut ? maxBytes : s.size()));
    // ensure_ascii escapes non-ASCII as \uXXXX; replace turns a UTF-8 sequence cut in half into U+FFFD.
    std::string out = json(std::move(head)).dump(-1, ' ', true, json::error_handler_t::replace);
    if (cut)
        out += "...";
    return out;
}

// Keeps printable ASCII, replaces anything else by '?', caps the length.
std::string asciiOnly(std::string_view s, std::size_t maxBytes = 200)
{
    std::string out;
    out.reserve(std::min(s.size(), maxBytes));
    for (char c : s) {
        if (out.size() >= maxBytes) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    return out;
}

bool isIdentifier(std::string_view s)
{
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

// "payload" + "content" -> "payload.content"; odd keys become ["..."] so a path is always readable ASCII.
std::string joinKey(const std::string &parent, std::string_view key)
{
    if (isIdentifier(key))
        return parent.empty() ? std::string(key) : parent + '.' + std::string(key);
    return parent + '[' + quoteForMessage(key, 32) + ']';
}

std::string joinIndex(const std::string &parent, std::size_t index)
{
    return parent + '[' + std::to_string(index) + ']';
}

std::string describe(const json &j)
{
    switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
    }
    return "an unknown value";
}

// ---------------------------------------------------------------------------------------------------------
// Pre-scan: maximum nesting of [ and { outside strings, and no raw NUL outside strings. Linear, no allocation,
// no recursion.
std::optional<ParseError> checkNesting(std::string_view bytes)
{
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '\0':
            // nlohmann's lexer takes a NUL outside a string for the end of the input, so "{...}\0garbage" would
            // parse. No JSON text has a raw NUL outside a string (inside one the lexer rejects it itself).
            return ParseError{"", "the document contains a NUL byte at byte " + std::to_string(i)};
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > kMaxDepth)
                return ParseError{"", "the document is nested deeper than " + std::to_string(kMaxDepth) + " levels (at byte " +
                                          std::to_string(i) + ")"};
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default: break;
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------
// SAX handler that builds the DOM with an explicit stack, rejects duplicate keys and excess depth, and knows
// the JSON path of the value being read, so syntax errors (including invalid UTF-8 inside a string) name the
// field they occur in.
class DomBuilder final : public nlohmann::json_sax<json>
{
public:
    json root;
    std::optional<ParseError> error;

    bool null() override { return place(json(nullptr)) != nullptr; }
    bool boolean(bool v) override { return place(json(v)) != nullptr; }
    bool number_integer(number_integer_t v) override { return place(json(v)) != nullptr; }
    bool number_unsigned(number_unsigned_t v) override { return place(json(v)) != nullptr; }
    bool number_float(number_float_t v, const string_t &) override { return place(json(v)) != nullptr; }
    bool string(string_t &v) override
    {
        // The limit holds for every string in the document, known field or not.
        if (v.size() > kMaxStringBytes)
            return fail(path(), "string is " + std::to_string(v.size()) + " bytes, longer than the limit of " +
                                    std::to_string(kMaxStringBytes) + " bytes");
        return place(json(std::move(v))) != nullptr;
    }
    bool binary(binary_t &) override { return fail(path(), "binary data is not allowed"); }

    bool start_object(std::size_t) override { return open(json::object(), false); }
    bool start_array(std::size_t) override { return open(json::array(), true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t &k) override
    {
        Frame &f = m_frames.back();
        if (k.size() > kMaxStringBytes)
            return fail(path(), "key is " + std::to_string(k.size()) + " bytes, longer than the limit of " +
                                    std::to_string(kMaxStringBytes) + " bytes");
        if (f.value->contains(k)) {
            f.key = std::move(k);
            f.hasKey = true;
            return fail(path(), "duplicate key");
        }
        f.key = std::move(k);
        f.hasKey = true;
        return true;
    }

    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex) override
    {
        // ex.what(): "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while parsing
        // value - invalid literal; last read: 'tru<U+0022>'; expected ..." -- keep the middle part, drop the
        // echoed input (it may hold arbitrary bytes), and report the byte offset instead of line/column.
        std::string msg = ex.what();
        if (const auto col = msg.find("column "); col != std::string::npos) {
            if (const auto colon = msg.find(": ", col); colon != std::string::npos)
                msg.erase(0, colon + 2);
        } else if (const auto bracket = msg.find("] "); bracket != std::string::npos) {
            msg.erase(0, bracket + 2);
        }
        std::string expected;
        if (const auto lastRead = msg.find("; last read: "); lastRead != std::string::npos) {
            if (const auto exp = msg.rfind("'; expected "); exp != std::string::npos && exp > lastRead)
                expected = msg.substr(exp + 1);
            msg.erase(lastRead);
        }
        fail(path(), "not valid JSON at byte " + std::to_string(position > 0 ? position - 1 : 0) + ": " +
                         asciiOnly(msg + expected));
        return false;
    }

private:
    struct Frame {
        json *value = nullptr;
        bool isArray = false;
        std::string key;     // objects: the key of the member being read (or last read)
        bool hasKey = false; // objects: a key was read and its value not yet placed
        std::size_t count = 0; // arrays: elements placed so far
    };
    std::vector<Frame> m_frames;

    bool fail(std::string field, std::string reason)
    {
        if (!error)
            error = ParseError{std::move(field), std::move(reason)};
        return false;
    }

    // The path of the value currently being read.
    std::string path() const
    {
        std::string p;
        for (std::size_t i = 0; i < m_frames.size(); ++i) {
            const Frame &f = m_frames[i];
            const bool last = i + 1 == m_frames.size();
            if (f.isArray)
                p = joinIndex(p, last ? f.count : f.count - 1);
            else if (!last || f.hasKey)
                p = joinKey(p, f.key);
        }
        return p;
    }

    json *place(json &&v)
    {
        if (m_frames.empty()) {
            root = std::move(v);
            return &root;
        }
        Frame &f = m_frames.back();
        if (f.isArray) {
            f.value->push_back(std::move(v));
            ++f.count;
            return &f.value->back();
        }
        json &slot = (*f.value)[f.key];
        slot = std::move(v);
        f.hasKey = false;
        return &slot;
    }

    bool open(json &&container, bool isArray)
    {
        if (m_frames.size() >= kMaxDepth)
            return fail(path(), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
        // Pointers stay valid: a parent array only grows after this child is closed; map nodes never move.
        json *slot = place(std::move(container));
        m_frames.push_back(Frame{slot, isArray, {}, false, 0});
        return true;
    }

    bool close()
    {
        if (!m_frames.empty())
            m_frames.pop_back();
        return true;
    }
};

// ---------------------------------------------------------------------------------------------------------
// Validation of the DOM against the schema. The first error wins; every accessor is non-throwing.
class Reader
{
public:
    std::optional<ParseError> error;

    bool fail(std::string field, std::string reason)
    {
        if (!error)
            error = ParseError{std::move(field), std::move(reason)};
        return false;
    }

    const json *member(const json &obj, const char *key, const std::string &parent)
    {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            fail(joinKey(parent, key), "required field is missing");
            return nullptr;
        }
        return &*it;
    }

    bool object(const json &j, const std::string &field)
    {
        if (!j.is_object())
            return fail(field, "expected an object, found " + describe(j));
        return true;
    }

    bool stringValue(const json &j, const std::string &field, std::string &out, bool nonEmpty)
    {
        if (!j.is_string())
            return fail(field, "expected a string, found " + describe(j));
        const auto *s = j.get_ptr<const json::string_t *>();
        if (s->size() > kMaxStringBytes)
            return fail(field, "string is " + std::to_string(s->size()) + " bytes, longer than the limit of " +
                                   std::to_string(kMaxStringBytes) + " bytes");
        if (nonEmpty && s->empty())
            return fail(field, "must not be empty");
        out = *s;
        return true;
    }

    bool string(const json &obj, const char *key, const std::string &parent, std::string &out, bool nonEmpty)
    {
        const json *j = member(obj, key, parent);
        return j && stringValue(*j, joinKey(parent, key), out, nonEmpty);
    }

    bool id(const json &obj, const char *key, const std::string &parent, std::string &out)
    {
        return string(obj, key, parent, out, true);
    }

    // A non-negative integer that fits in int64 (timestamps in ms, sizes).
    bool count(const json &obj, const char *key, const std::string &parent, std::int64_t &out)
    {
        const json *j = member(obj, key, parent);
        if (!j)
            return false;
        const std::string field = joinKey(parent, key);
        if (j->is_number_unsigned()) {
            const auto v = *j->get_ptr<const json::number_unsigned_t *>();
            if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return fail(field, "integer " + std::to_string(v) + " is out of range (the largest allowed is " +
                                       std::to_string(std::numeric_limits<std::int64_t>::max()) + ")");
            out = static_cast<std::int64_t>(v);
            return true;
        }
        if (j->is_number_integer()) { // signed and not unsigned: the parser only produces these for negatives
            const auto v = *j->get_ptr<const json::number_integer_t *>();
            if (v < 0)
                return fail(field, "must not be negative, found " + std::to_string(v));
            out = v;
            return true;
        }
        if (j->is_number_float())
            return fail(field, "expected an integer, found a number with a fraction or exponent");
        return fail(field, "expected an integer, found " + describe(*j));
    }

    // An array (at most kMaxListItems) of strings; ids must be non-empty.
    bool stringList(const json &obj, const char *key, const std::string &parent, std::vector<std::string> &out,
                    bool nonEmptyItems)
    {
        const json *j = member(obj, key, parent);
        if (!j)
            return false;
        const std::string field = joinKey(parent, key);
        if (!list(*j, field))
            return false;
        out.clear();
        out.reserve(j->size());
        for (std::size_t i = 0; i < j->size(); ++i) {
            std::string s;
            if (!stringValue((*j)[i], joinIndex(field, i), s, nonEmptyItems))
                return false;
            out.push_back(std::move(s));
        }
        return true;
    }

    bool list(const json &j, const std::string &field)
    {
        if (!j.is_array())
            return fail(field, "expected an array, found " + describe(j));
        if (j.size() > kMaxListItems)
            return fail(field, "array has " + std::to_string(j.size()) + " items, more than the limit of " +
                                   std::to_string(kMaxListItems));
        return true;
    }
};

bool readPayload(Reader &r, const json &p, const std::string &at, MessageCreated &out)
{
    if (!(r.id(p, "message_id", at, out.messageId) && r.id(p, "channel_id", at, out.channelId) &&
          r.id(p, "author_id", at, out.authorId) && r.string(p, "content", at, out.content, false) &&
          r.stringList(p, "mentions", at, out.mentions, true)))
        return false;
    const json *atts = r.member(p, "attachments", at);
    if (!atts)
        return false;
    const std::string field = joinKey(at, "attachments");
    if (!r.list(*atts, field))
        return false;
    out.attachments.clear();
    out.attachments.reserve(atts->size());
    for (std::size_t i = 0; i < atts->size(); ++i) {
        const json &a = (*atts)[i];
        const std::string af = joinIndex(field, i);
        Attachment att;
        if (!(r.object(a, af) && r.string(a, "name", af, att.name, false) && r.string(a, "url", af, att.url, false) &&
              r.count(a, "size_bytes", af, att.sizeBytes)))
            return false;
        out.attachments.push_back(std::move(att));
    }
    return true;
}

bool readPayload(Reader &r, const json &p, const std::string &at, MessageUpdated &out)
{
    return r.id(p, "message_id", at, out.messageId) && r.id(p, "channel_id", at, out.channelId) &&
           r.id(p, "author_id", at, out.authorId) && r.string(p, "content", at, out.content, false) &&
           r.stringList(p, "mentions", at, out.mentions, true) && r.count(p, "edited_at", at, out.editedAtMs);
}

bool readPayload(Reader &r, const json &p, const std::string &at, MessageDeleted &out)
{
    return r.id(p, "message_id", at, out.messageId) && r.id(p, "channel_id", at, out.channelId) &&
           r.id(p, "deleted_by", at, out.deletedBy);
}

bool readPayload(Reader &r, const json &p, const std::string &at, NotificationSent &out)
{
    return r.id(p, "notification_id", at, out.notificationId) && r.id(p, "recipient_id", at, out.recipientId) &&
           r.id(p, "message_id", at, out.messageId) && r.id(p, "channel_id", at, out.channelId) &&
           r.id(p, "author_id", at, out.authorId) && r.string(p, "title", at, out.title, false) &&
           r.string(p, "body", at, out.body, false) && r.count(p, "created_at", at, out.createdAtMs) &&
           r.count(p, "notified_at", at, out.notifiedAtMs);
}

bool readPayload(Reader &r, const json &p, const std::string &at, UserActivity &out)
{
    if (!(r.id(p, "user_id", at, out.userId) && r.string(p, "action", at, out.action, true) &&
          r.string(p, "channel_id", at, out.channelId, false)))
        return false;
    for (std::string_view a : kUserActions)
        if (a == out.action)
            return true;
    return r.fail(joinKey(at, "action"), "unknown action " + quoteForMessage(out.action) +
                                             "; expected one of login, logout, join_channel, leave_channel, typing, read");
}

template<typename T>
bool readTyped(Reader &r, const json &p, Payload &out)
{
    T value;
    if (!readPayload(r, p, "payload", value))
        return false;
    out = std::move(value);
    return true;
}

ParseResult failure(ParseError e)
{
    ParseResult r;
    r.error = std::move(e);
    return r;
}

ParseResult parseImpl(std::string_view bytes)
{
    if (bytes.empty())
        return failure({"", "the document is empty"});
    if (bytes.size() > kMaxEventBytes)
        return failure({"", "the document is " + std::to_string(bytes.size()) + " bytes, larger than the limit of " +
                                std::to_string(kMaxEventBytes) + " bytes"});
    if (auto e = checkNesting(bytes))
        return failure(std::move(*e));

    DomBuilder dom;
    const bool ok = json::sax_parse(bytes.begin(), bytes.end(), &dom, json::input_format_t::json, /*strict=*/true,
                                    /*ignore_comments=*/false);
    if (!ok || dom.error)
        return failure(dom.error ? std::move(*dom.error) : ParseError{"", "not valid JSON"});

    const json &doc = dom.root;
    if (!doc.is_object())
        return failure({"", "expected a JSON object, found " + describe(doc)});

    Reader r;
    std::string typeName;
    if (!r.string(doc, "event_type", "", typeName, true))
        return failure(std::move(*r.error));
    const auto type = eventTypeFromName(typeName);
    if (!type)
        return failure({"event_type", "unknown event type " + quoteForMessage(typeName) +
                                          "; expected one of message.created, message.updated, message.deleted, "
                                          "notification.sent, user.activity"});

    Event ev;
    ev.type = *type;
    if (!r.id(doc, "event_id", "", ev.eventId) || !r.count(doc, "timestamp", "", ev.timestampMs))
        return failure(std::move(*r.error));
    const json *payload = r.member(doc, "payload", "");
    if (!payload || !r.object(*payload, "payload"))
        return failure(std::move(*r.error));

    bool good = false;
    switch (*type) {
    case EventType::MessageCreated: good = readTyped<MessageCreated>(r, *payload, ev.payload); break;
    case EventType::MessageUpdated: good = readTyped<MessageUpdated>(r, *payload, ev.payload); break;
    case EventType::MessageDeleted: good = readTyped<MessageDeleted>(r, *payload, ev.payload); break;
    case EventType::NotificationSent: good = readTyped<NotificationSent>(r, *payload, ev.payload); break;
    case EventType::UserActivity: good = readTyped<UserActivity>(r, *payload, ev.payload); break;
    }
    if (!good)
        return failure(r.error ? std::move(*r.error) : ParseError{"payload", "invalid payload"});

    ParseResult result;
    result.event = std::move(ev);
    return result;
}


ojson toJson(const std::vector<std::string> &list)
{
    ojson a = ojson::array();
    for (const auto &s : list)
        a.push_back(s);
    return a;
}

ojson payloadJson(const MessageCreated &m)
{
    ojson p = ojson::object();
    p["message_id"] = m.messageId;
    p["channel_id"] = m.channelId;
    p["author_id"] = m.authorId;
    p["content"] = m.content;
    p["mentions"] = toJson(m.mentions);
    ojson atts = ojson::array();
    for (const auto &a : m.attachments) {
        ojson o = ojson::object();
        o["name"] = a.name;
        o["url"] = a.url;
        o["size_bytes"] = a.sizeBytes;
        atts.push_back(std::move(o));
    }
    p["attachments"] = std::move(atts);
    return p;
}

ojson payloadJson(const MessageUpdated &m)
{
    ojson p = ojson::object();
    p["message_id"] = m.messageId;
    p["channel_id"] = m.channelId;
    p["author_id"] = m.authorId;
    p["content"] = m.content;
    p["mentions"] = toJson(m.mentions);
    p["edited_at"] = m.editedAtMs;
    return p;
}

ojson payloadJson(const MessageDeleted &m)
{
    ojson p = ojson::object();
    p["message_id"] = m.messageId;
    p["channel_id"] = m.channelId;
    p["deleted_by"] = m.deletedBy;
    return p;
}

ojson payloadJson(const NotificationSent &n)
{
    ojson p = ojson::object();
    p["notification_id"] = n.notificationId;
    p["recipient_id"] = n.recipientId;
    p["message_id"] = n.messageId;
    p["channel_id"] = n.channelId;
    p["author_id"] = n.authorId;
    p["title"] = n.title;
    p["body"] = n.body;
    p["created_at"] = n.createdAtMs;
    p["notified_at"] = n.notifiedAtMs;
    return p;
}

ojson payloadJson(const UserActivity &a)
{
    ojson p = ojson::object();
    p["user_id"] = a.userId;
    p["action"] = a.action;
    p["channel_id"] = a.channelId;
    return p;
}

} // namespace

EventType eventTypeOf(const Payload &p)
{
    switch (p.index()) {
    case 0: return EventType::MessageCreated;
    case 1: return EventType::MessageUpdated;
    case 2: return EventType::MessageDeleted;
    case 3: return EventType::NotificationSent;
    default: return EventType::UserActivity;
    }
}

std::string_view eventTypeName(EventType t)
{
    switch (t) {
    case EventType::MessageCreated: return "message.created";
    case EventType::MessageUpdated: return "message.updated";
    case EventType::MessageDeleted: return "message.deleted";
    case EventType::NotificationSent: return "notification.sent";
    case EventType::UserActivity: return "user.activity";
    }
    return "unknown";
}

std::optional<EventType> eventTypeFromName(std::string_view name)
{
    for (EventType t : {EventType::MessageCreated, EventType::MessageUpdated, EventType::MessageDeleted,
                        EventType::NotificationSent, EventType::UserActivity})
        if (eventTypeName(t) == name)
            return t;
    return std::nullopt;
}

std::string_view topicFor(EventType t)
{
    switch (t) {
    case EventType::MessageCreated: return topics::kMessagesCreated;
    case EventType::MessageUpdated: return topics::kMessagesUpdated;
    case EventType::MessageDeleted: return topics::kMessagesDeleted;
    case EventType::NotificationSent: return topics::kNotificationsSent;
    case EventType::UserActivity: return topics::kUsersActivity;
    }
    return topics::kDeadLetter;
}

std::string Event::key() const
{
    return std::visit(
        [](const auto &p) -> std::string {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, NotificationSent>)
                return p.recipientId;
            else if constexpr (std::is_same_v<T, UserActivity>)
                return p.userId;
            else
                return p.channelId;
        },
        payload);
}

std::string ParseError::toString() const
{
    return field.empty() ? reason : field + ": " + reason;
}

namespace detail {

// The payload decides the event_type written, so the output is always self-consistent even if `type`
// disagrees with the payload held. Invalid UTF-8 in any string is written as U+FFFD instead of throwing.
std::string serializeWithNlohmann(const Event &e)
{
    ojson doc = ojson::object();
    doc["event_type"] = std::string(eventTypeName(eventTypeOf(e.payload)));
    doc["event_id"] = e.eventId;
    doc["timestamp"] = e.timestampMs;
    doc["payload"] = std::visit([](const auto &p) { return payloadJson(p); }, e.payload);
    return doc.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

ParseResult parseEventWithNlohmann(std::string_view bytes) noexcept
{
    try {
        return parseImpl(bytes);
    } catch (const std::bad_alloc &) {
        return failure({"", "out of memory while parsing"});
    } catch (const std::exception &ex) { // not expected: every nlohmann call above is non-throwing
        return failure({"", std::string("internal error while parsing: ") + asciiOnly(ex.what())});
    } catch (...) {
        return failure({"", "internal error while parsing"});
    }
}

} // namespace detail

std::string serialize(const Event &e)
{
    std::string out;
    serializeInto(e, out);
    return out;
}

void serializeInto(const Event &e, std::string &out)
{
    out.clear();
    if (!fastcodec::serialize(e, out))
        out = detail::serializeWithNlohmann(e); // a string that is not valid UTF-8: nlohmann writes U+FFFD for its bad bytes
}

ParseResult parseEvent(std::string_view bytes) noexcept
{
    try {
        if (auto ev = fastcodec::parse(bytes)) {
            ParseResult r;
            r.event = std::move(*ev);
            return r;
        }
    } catch (const std::bad_alloc &) {
        return failure({"", "out of memory while parsing"});
    }
    return detail::parseEventWithNlohmann(bytes);
}

} // namespace kcl
