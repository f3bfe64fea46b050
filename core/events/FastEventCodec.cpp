#include "events/FastEventCodec.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

namespace kcl::fastcodec {

namespace {

// Length of the well-formed UTF-8 sequence starting at p (non-ASCII lead byte), 0 if it is not one.
// The same ranges as the Unicode standard's table 3-7 and nlohmann's lexer: no overlongs, no surrogates,
// nothing above U+10FFFF.
std::size_t utf8Sequence(const unsigned char *p, const unsigned char *end)
{
    const auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
    const std::size_t left = static_cast<std::size_t>(end - p);
    const unsigned char c = p[0];
    if (in(c, 0xC2, 0xDF))
        return left >= 2 && in(p[1], 0x80, 0xBF) ? 2 : 0;
    if (in(c, 0xE0, 0xEF)) {
        if (left < 3)
            return 0;
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        return in(p[1], lo, hi) && in(p[2], 0x80, 0xBF) ? 3 : 0;
    }
    if (in(c, 0xF0, 0xF4)) {
        if (left < 4)
            return 0;
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        return in(p[1], lo, hi) && in(p[2], 0x80, 0xBF) && in(p[3], 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------------------
// Writer

// nlohmann's dump_escaped with ensure_ascii off: ", \ and the control characters escaped, \u00xx in lower case.
bool writeString(std::string &out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    const auto *run = p;
    const auto flush = [&](const unsigned char *upTo) {
        out.append(reinterpret_cast<const char *>(run), static_cast<std::size_t>(upTo - run));
    };
    while (p < end) {
        const unsigned char c = *p;
        if (c >= 0x80) {
            const std::size_t n = utf8Sequence(p, end);
            if (n == 0)
                return false;
            p += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++p;
            continue;
        }
        flush(p);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        run = ++p;
    }
    flush(p);
    out += '"';
    return true;
}

void writeInteger(std::string &out, std::int64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// `"name":` -- every name here is a literal of ours, plain ASCII.
void writeKey(std::string &out, std::string_view name, bool first)
{
    if (!first)
        out += ',';
    out += '"';
    out += name;
    out += "\":";
}

bool writeMember(std::string &out, std::string_view name, std::string_view value, bool first = false)
{
    writeKey(out, name, first);
    return writeString(out, value);
}

void writeMember(std::string &out, std::string_view name, std::int64_t value)
{
    writeKey(out, name, false);
    writeInteger(out, value);
}

bool writeList(std::string &out, std::string_view name, const std::vector<std::string> &items)
{
    writeKey(out, name, false);
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        if (!writeString(out, items[i]))
            return false;
    }
    out += ']';
    return true;
}

bool writePayload(std::string &out, const MessageCreated &m)
{
    if (!(writeMember(out, "message_id", m.messageId, true) && writeMember(out, "channel_id", m.channelId) &&
          writeMember(out, "author_id", m.authorId) && writeMember(out, "content", m.content) &&
          writeList(out, "mentions", m.mentions)))
        return false;
    writeKey(out, "attachments", false);
    out += '[';
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        const Attachment &a = m.attachments[i];
        out += i > 0 ? ",{" : "{";
        if (!(writeMember(out, "name", a.name, true) && writeMember(out, "url", a.url)))
            return false;
        writeMember(out, "size_bytes", a.sizeBytes);
        out += '}';
    }
    out += ']';
    return true;
}

bool writePayload(std::string &out, const MessageUpdated &m)
{
    if (!(writeMember(out, "message_id", m.messageId, true) && writeMember(out, "channel_id", m.channelId) &&
          writeMember(out, "author_id", m.authorId) && writeMember(out, "content", m.content) &&
          writeList(out, "mentions", m.mentions)))
        return false;
    writeMember(out, "edited_at", m.editedAtMs);
    return true;
}

bool writePayload(std::string &out, const MessageDeleted &m)
{
    return writeMember(out, "message_id", m.messageId, true) && writeMember(out, "channel_id", m.channelId) &&
           writeMember(out, "deleted_by", m.deletedBy);
}

bool writePayload(std::string &out, const NotificationSent &n)
{
    if (!(writeMember(out, "notification_id", n.notificationId, true) && writeMember(out, "recipient_id", n.recipientId) &&
          writeMember(out, "message_id", n.messageId) && writeMember(out, "channel_id", n.channelId) &&
          writeMember(out, "author_id", n.authorId) && writeMember(out, "title", n.title) &&
          writeMember(out, "body", n.body)))
        return false;
    writeMember(out, "created_at", n.createdAtMs);
    writeMember(out, "notified_at", n.notifiedAtMs);
    return true;
}

bool writePayload(std::string &out, const UserActivity &a)
{
    return writeMember(out, "user_id", a.userId, true) && writeMember(out, "action", a.action) &&
           writeMember(out, "channel_id", a.channelId);
}

// ---------------------------------------------------------------------------------------------------------
// Reader. Every function returns false for "not sure": the strict parser then decides.

class Reader
{
public:
    Reader(std::string_view bytes)
        : m_p(reinterpret_cast<const unsigned char *>(bytes.data())), m_end(m_p + bytes.size())
    {
    }

    void skipWhitespace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool atEnd()
    {
        skipWhitespace();
        return m_p == m_end;
    }

    bool take(char c)
    {
        skipWhitespace();
        if (m_p < m_end && *m_p == static_cast<unsigned char>(c)) {
            ++m_p;
            return true;
        }
        return false;
    }

    // A member name without escapes (every name we know is plain ASCII; any other is "not sure").
    bool key(std::string_view &out)
    {
        if (!take('"'))
            return false;
        const auto *start = m_p;
        while (m_p < m_end && *m_p != '"') {
            if (*m_p == '\\' || *m_p < 0x20 || *m_p >= 0x80)
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        out = std::string_view(reinterpret_cast<const char *>(start), static_cast<std::size_t>(m_p - start));
        ++m_p;
        return take(':');
    }

    bool string(std::string &out, bool nonEmpty)
    {
        if (!take('"'))
            return false;
        out.clear();
        const auto *run = m_p;
        const auto flush = [&] { out.append(reinterpret_cast<const char *>(run), static_cast<std::size_t>(m_p - run)); };
        while (m_p < m_end) {
            const unsigned char c = *m_p;
            if (c == '"') {
                flush();
                ++m_p;
                return out.size() <= kMaxStringBytes && !(nonEmpty && out.empty());
            }
            if (c == '\\') {
                flush();
                if (!escape(out))
                    return false;
                run = m_p;
                continue;
            }
            if (c < 0x20)
                return false;
            if (c < 0x80) {
                ++m_p;
                continue;
            }
            const std::size_t n = utf8Sequence(m_p, m_end);
            if (n == 0)
                return false;
            m_p += n;
        }
        return false;
    }

    // A non-negative integer written as plain digits that fits in int64 with room to spare.
    bool count(std::int64_t &out)
    {
        skipWhitespace();
        const auto *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        const auto digits = static_cast<std::size_t>(m_p - start);
        if (digits == 0 || digits > 18 || (digits > 1 && *start == '0'))
            return false;
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        std::int64_t v = 0;
        for (const auto *d = start; d < m_p; ++d)
            v = v * 10 + (*d - '0');
        out = v;
        return true;
    }

    // {"name": value, ...}: onMember(index of the name in `names`) reads the value. Every name is required, once.
    template<std::size_t N, typename F>
    bool object(const std::array<std::string_view, N> &names, F &&onMember)
    {
        static_assert(N < 32);
        if (!take('{'))
            return false;
        std::uint32_t seen = 0;
        for (;;) {
            std::string_view k;
            if (!key(k))
                return false;
            std::size_t i = 0;
            while (i < N && names[i] != k)
                ++i;
            if (i == N || (seen & (1u << i)))
                return false;
            seen |= 1u << i;
            if (!onMember(i))
                return false;
            if (take(','))
                continue;
            return take('}') && seen == (1u << N) - 1;
        }
    }

    // [item, ...] with at most kMaxListItems items.
    template<typename F>
    bool array(F &&onItem)
    {
        if (!take('['))
            return false;
        if (take(']'))
            return true;
        for (std::size_t n = 1;; ++n) {
            if (n > kMaxListItems || !onItem())
                return false;
            if (take(','))
                continue;
            return take(']');
        }
    }

    bool idList(std::vector<std::string> &out)
    {
        out.clear();
        return array([&] {
            out.emplace_back();
            return string(out.back(), true);
        });
    }

private:
    const unsigned char *m_p;
    const unsigned char *m_end;

    static int hexDigit(unsigned char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    // After the backslash. Surrogate escapes are left to the strict parser.
    bool escape(std::string &out)
    {
        ++m_p; // the backslash
        if (m_p >= m_end)
            return false;
        const unsigned char c = *m_p++;
        switch (c) {
        case '"': out += '"'; return true;
        case '\\': out += '\\'; return true;
        case '/': out += '/'; return true;
        case 'b': out += '\b'; return true;
        case 'f': out += '\f'; return true;
        case 'n': out += '\n'; return true;
        case 'r': out += '\r'; return true;
        case 't': out += '\t'; return true;
        case 'u': break;
        default: return false;
        }
        if (m_end - m_p < 4)
            return false;
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(*m_p++);
            if (d < 0)
                return false;
            cp = cp << 4 | static_cast<unsigned>(d);
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return false;
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | cp >> 6);
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | cp >> 12);
            out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return true;
    }
};

bool readPayload(Reader &r, MessageCreated &m)
{
    static constexpr std::array<std::string_view, 6> kNames = {"message_id", "channel_id", "author_id", "content",
                                                               "mentions", "attachments"};
    static constexpr std::array<std::string_view, 3> kAttachment = {"name", "url", "size_bytes"};
    return r.object(kNames, [&](std::size_t i) {
        switch (i) {
        case 0: return r.string(m.messageId, true);
        case 1: return r.string(m.channelId, true);
        case 2: return r.string(m.authorId, true);
        case 3: return r.string(m.content, false);
        case 4: return r.idList(m.mentions);
        default:
            m.attachments.clear();
            return r.array([&] {
                Attachment &a = m.attachments.emplace_back();
                return r.object(kAttachment, [&](std::size_t j) {
                    return j == 0 ? r.string(a.name, false) : j == 1 ? r.string(a.url, false) : r.count(a.sizeBytes);
                });
            });
        }
    });
}

bool readPayload(Reader &r, MessageUpdated &m)
{
    static constexpr std::array<std::string_view, 6> kNames = {"message_id", "channel_id", "author_id", "content",
                                                               "mentions", "edited_at"};
    return r.object(kNames, [&](std::size_t i) {
        switch (i) {
        case 0: return r.string(m.messageId, true);
        case 1: return r.string(m.channelId, true);
        case 2: return r.string(m.authorId, true);
        case 3: return r.string(m.content, false);
        case 4: return r.idList(m.mentions);
        default: return r.count(m.editedAtMs);
        }
    });
}

bool readPayload(Reader &r, MessageDeleted &m)
{
    static constexpr std::array<std::string_view, 3> kNames = {"message_id", "channel_id", "deleted_by"};
    return r.object(kNames, [&](std::size_t i) {
        return r.string(i == 0 ? m.messageId : i == 1 ? m.channelId : m.deletedBy, true);
    });
}

bool readPayload(Reader &r, NotificationSent &n)
{
    static constexpr std::array<std::string_view, 9> kNames = {"notification_id", "recipient_id", "message_id",
                                                               "channel_id",      "author_id",    "title",
                                                               "body",            "created_at",   "notified_at"};
    return r.object(kNames, [&](std::size_t i) {
        switch (i) {
        case 0: return r.string(n.notificationId, true);
        case 1: return r.string(n.recipientId, true);
        case 2: return r.string(n.messageId, true);
        case 3: return r.string(n.channelId, true);
        case 4: return r.string(n.authorId, true);
        case 5: return r.string(n.title, false);
        case 6: return r.string(n.body, false);
        case 7: return r.count(n.createdAtMs);
        default: return r.count(n.notifiedAtMs);
        }
    });
}

bool readPayload(Reader &r, UserActivity &a)
{
    static constexpr std::array<std::string_view, 3> kNames = {"user_id", "action", "channel_id"};
    return r.object(kNames, [&](std::size_t i) {
        switch (i) {
        case 0: return r.string(a.userId, true);
        case 1:
            if (!r.string(a.action, true))
                return false;
            for (std::string_view known : kUserActions)
                if (known == a.action)
                    return true;
            return false;
        default: return r.string(a.channelId, false);
        }
    });
}

template<typename T>
bool readTyped(Reader &r, Payload &out)
{
    return readPayload(r, out.emplace<T>());
}

} // namespace

std::optional<Event> parse(std::string_view bytes)
{
    if (bytes.empty() || bytes.size() > kMaxEventBytes)
        return std::nullopt;
    Reader r(bytes);
    static constexpr std::array<std::string_view, 4> kNames = {"event_type", "event_id", "timestamp", "payload"};
    Event ev;
    bool typed = false;
    const bool ok = r.object(kNames, [&](std::size_t i) {
        switch (i) {
        case 0: {
            std::string name;
            if (!r.string(name, true))
                return false;
            const auto type = eventTypeFromName(name);
            if (!type)
                return false;
            ev.type = *type;
            typed = true;
            return true;
        }
        case 1: return r.string(ev.eventId, true);
        case 2: return r.count(ev.timestampMs);
        default:
            if (!typed) // the payload's shape depends on event_type; the strict parser handles either order
                return false;
            switch (ev.type) {
            case EventType::MessageCreated: return readTyped<MessageCreated>(r, ev.payload);
            case EventType::MessageUpdated: return readTyped<MessageUpdated>(r, ev.payload);
            case EventType::MessageDeleted: return readTyped<MessageDeleted>(r, ev.payload);
            case EventType::NotificationSent: return readTyped<NotificationSent>(r, ev.payload);
            case EventType::UserActivity: return readTyped<UserActivity>(r, ev.payload);
            }
            return false;
        }
    });
    if (!ok || !r.atEnd())
        return std::nullopt;
    return ev;
}

bool serialize(const Event &e, std::string &out)
{
    out.reserve(out.size() + 384);
    // The payload decides the event_type written, as in the strict writer.
    const EventType type = eventTypeOf(e.payload);
    if (!writeMember(out.append("{"), "event_type", eventTypeName(type), true) ||
        !writeMember(out, "event_id", e.eventId))
        return false;
    writeMember(out, "timestamp", e.timestampMs);
    writeKey(out, "payload", false);
    out += '{';
    if (!std::visit([&out](const auto &p) { return writePayload(out, p); }, e.payload))
        return false;
    out += "}}";
    return true;
}

} // namespace kcl::fastcodec
