// Unit tests for core/events: the guide's envelope, its payloads, and a parser that is strict and total.
#include "events/Event.h"
#include "events/FastEventCodec.h"
#include "events/Topics.h"
#include "pipeline/WorkloadGenerator.h"

#include <QObject>
#include <QString>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace kcl;
using json = nlohmann::json;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The guide's example (SEED.md "Event design"), pretty-printed exactly as written there.
const char *const kGuideExample = R"({
  "event_type": "message.created",
  "event_id": "evt_001",
  "timestamp": 1697234567890,
  "payload": {
    "message_id": "msg_001",
    "channel_id": "ch_dev",
    "author_id": "user_001",
    "content": "프로젝트 배포 완료",
    "mentions": ["user_002"],
    "attachments": []
  }
})";

// The same document, compact, in the guide's field order: what serialize() must produce.
const char *const kGuideCompact =
    R"({"event_type":"message.created","event_id":"evt_001","timestamp":1697234567890,"payload":{"message_id":"msg_001",)"
    R"("channel_id":"ch_dev","author_id":"user_001","content":"프로젝트 배포 완료","mentions":["user_002"],"attachments":[]}})";

Event makeEvent(EventType type, Payload payload, std::string id = "evt_1", std::int64_t ts = 1697234567890)
{
    Event e;
    e.type = type;
    e.eventId = std::move(id);
    e.timestampMs = ts;
    e.payload = std::move(payload);
    return e;
}

Event sampleCreated()
{
    MessageCreated m;
    m.messageId = "msg_001";
    m.channelId = "ch_dev";
    m.authorId = "user_001";
    m.content = "프로젝트 배포 완료 @user_002 @user_003";
    m.mentions = {"user_002", "user_003"};
    m.attachments = {Attachment{"배포-로그.txt", "https://files.example/1", 1234}, Attachment{"b.png", "", 0}};
    return makeEvent(EventType::MessageCreated, m, "evt_created");
}

Event sampleUpdated()
{
    MessageUpdated m;
    m.messageId = "msg_001";
    m.channelId = "ch_dev";
    m.authorId = "user_001";
    m.content = "프로젝트 배포 완료 (수정됨)";
    m.mentions = {"user_002"};
    m.editedAtMs = 1697234569999;
    return makeEvent(EventType::MessageUpdated, m, "evt_updated");
}

Event sampleDeleted()
{
    MessageDeleted m;
    m.messageId = "msg_001";
    m.channelId = "ch_dev";
    m.deletedBy = "user_admin";
    return makeEvent(EventType::MessageDeleted, m, "evt_deleted");
}

Event sampleNotification()
{
    NotificationSent n;
    n.notificationId = "ntf_1";
    n.recipientId = "user_002";
    n.messageId = "msg_001";
    n.channelId = "ch_dev";
    n.authorId = "user_001";
    n.title = "새 멘션";
    n.body = "프로젝트 배포 완료";
    n.createdAtMs = 1697234567890;
    n.notifiedAtMs = 1697234567912;
    return makeEvent(EventType::NotificationSent, n, "evt_notification");
}

Event sampleActivity(std::string action = "join_channel", std::string channel = "ch_dev")
{
    UserActivity a;
    a.userId = "user_007";
    a.action = std::move(action);
    a.channelId = std::move(channel);
    return makeEvent(EventType::UserActivity, a, "evt_activity");
}

std::vector<Event> samples()
{
    return {sampleCreated(), sampleUpdated(), sampleDeleted(), sampleNotification(), sampleActivity()};
}

// "" when `doc` is rejected with exactly `field` and only an error; otherwise what went wrong.
std::string rejectedAt(std::string_view doc, const std::string &field)
{
    const ParseResult r = parseEvent(doc);
    if (r.event.has_value() == r.error.has_value())
        return "exactly one of event/error must be set";
    if (r.ok())
        return "accepted a bad document: " + std::string(doc.substr(0, 300));
    if (r.error->reason.empty())
        return "error without a reason";
    if (r.error->field != field)
        return "expected field '" + field + "', got " + r.error->toString();
    return {};
}

std::string acceptedAs(std::string_view doc, const Event &expected)
{
    const ParseResult r = parseEvent(doc);
    if (r.event.has_value() == r.error.has_value())
        return "exactly one of event/error must be set";
    if (!r.ok())
        return "rejected: " + r.error->toString();
    if (!(*r.event == expected))
        return "parsed " + serialize(*r.event) + "\nexpected " + serialize(expected);
    return {};
}

#define EXPECT_REJECTED(doc, field)                                                                                    \
    do {                                                                                                               \
        const std::string why_ = rejectedAt((doc), (field));                                                           \
        QVERIFY2(why_.empty(), why_.c_str());                                                                          \
    } while (false)

#define EXPECT_ACCEPTED(doc, event)                                                                                    \
    do {                                                                                                               \
        const std::string why_ = acceptedAs((doc), (event));                                                           \
        QVERIFY2(why_.empty(), why_.c_str());                                                                          \
    } while (false)

// "/payload/mentions/0" -> "payload.mentions[0]"
std::string pathOf(const json &root, const json::json_pointer &ptr)
{
    std::string out;
    json::json_pointer cur;
    for (const std::string &token : [&] {
             std::vector<std::string> tokens;
             for (json::json_pointer p = ptr; !p.empty(); p = p.parent_pointer())
                 tokens.insert(tokens.begin(), p.back());
             return tokens;
         }()) {
        if (root.at(cur).is_array())
            out += '[' + token + ']';
        else
            out += (out.empty() ? "" : ".") + token;
        cur /= token;
    }
    return out;
}

void collectPointers(const json &j, const json::json_pointer &at, std::vector<json::json_pointer> &out)
{
    if (!at.empty())
        out.push_back(at);
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            collectPointers(it.value(), at / it.key(), out);
    else if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i)
            collectPointers(j[i], at / i, out);
}

bool sameKind(const json &a, const json &b)
{
    if (a.is_string() || b.is_string())
        return a.is_string() && b.is_string();
    if (a.is_array() || b.is_array())
        return a.is_array() && b.is_array();
    if (a.is_object() || b.is_object())
        return a.is_object() && b.is_object();
    if (a.is_number_integer() || b.is_number_integer()) // includes unsigned
        return a.is_number_integer() && b.is_number_integer();
    return a.type() == b.type();
}

std::string withPayloadField(const Event &e, const std::string &key, const json &value)
{
    json doc = json::parse(serialize(e));
    doc["payload"][key] = value;
    return doc.dump();
}

} // namespace

class TestEvents : public QObject
{
    Q_OBJECT

private slots:
    // ---- names, topics, keys ------------------------------------------------------------------------------
    void namesAndTopics()
    {
        const std::vector<std::pair<EventType, std::pair<std::string_view, std::string_view>>> table = {
            {EventType::MessageCreated, {"message.created", "platform.messages.created"}},
            {EventType::MessageUpdated, {"message.updated", "platform.messages.updated"}},
            {EventType::MessageDeleted, {"message.deleted", "platform.messages.deleted"}},
            {EventType::NotificationSent, {"notification.sent", "platform.notifications.sent"}},
            {EventType::UserActivity, {"user.activity", "platform.users.activity"}},
        };
        for (const auto &[type, names] : table) {
            QCOMPARE(q(eventTypeName(type)), q(names.first));
            QCOMPARE(q(topicFor(type)), q(names.second));
            QVERIFY(eventTypeFromName(names.first) == type);
        }
        QCOMPARE(q(topicFor(EventType::MessageCreated)), q(topics::kMessagesCreated));
        QCOMPARE(q(topicFor(EventType::UserActivity)), q(topics::kUsersActivity));
        QVERIFY(!eventTypeFromName("message.exploded").has_value());
        QVERIFY(!eventTypeFromName("").has_value());
        QVERIFY(!eventTypeFromName("Message.Created").has_value());
    }

    void keysByType()
    {
        QCOMPARE(q(sampleCreated().key()), QStringLiteral("ch_dev"));
        QCOMPARE(q(sampleUpdated().key()), QStringLiteral("ch_dev"));
        QCOMPARE(q(sampleDeleted().key()), QStringLiteral("ch_dev"));
        QCOMPARE(q(sampleNotification().key()), QStringLiteral("user_002"));
        QCOMPARE(q(sampleActivity().key()), QStringLiteral("user_007"));
        QCOMPARE(q(sampleActivity("login", "").key()), QStringLiteral("user_007"));
        // The key survives the round trip.
        for (const Event &e : samples()) {
            const ParseResult r = parseEvent(serialize(e));
            QVERIFY(r.ok());
            QCOMPARE(q(r.event->key()), q(e.key()));
        }
    }

    void parseErrorToString()
    {
        QCOMPARE(q(ParseError{"payload.mentions[2]", "expected a string, found a number"}.toString()),
                 QStringLiteral("payload.mentions[2]: expected a string, found a number"));
        QCOMPARE(q(ParseError{"", "the document is empty"}.toString()), QStringLiteral("the document is empty"));
    }

    // ---- round trips --------------------------------------------------------------------------------------
    void roundTrip_data()
    {
        QTest::addColumn<int>("index");
        const auto all = samples();
        for (int i = 0; i < int(all.size()); ++i)
            QTest::newRow(eventTypeName(all[std::size_t(i)].type).data()) << i;
    }

    void roundTrip()
    {
        QFETCH(int, index);
        const Event e = samples()[std::size_t(index)];
        const std::string text = serialize(e);
        EXPECT_ACCEPTED(text, e);
        // Serializing again gives the same bytes.
        QCOMPARE(q(serialize(*parseEvent(text).event)), q(text));
    }

    void roundTripEdgeValues()
    {
        // Empty lists, empty content, zero and maximal integers, every action, an empty activity channel.
        MessageCreated m;
        m.messageId = "m";
        m.channelId = "c";
        m.authorId = "a";
        EXPECT_ACCEPTED(serialize(makeEvent(EventType::MessageCreated, m, "e", 0)),
                        makeEvent(EventType::MessageCreated, m, "e", 0));
        const std::int64_t maxTs = std::numeric_limits<std::int64_t>::max();
        EXPECT_ACCEPTED(serialize(makeEvent(EventType::MessageCreated, m, "e", maxTs)),
                        makeEvent(EventType::MessageCreated, m, "e", maxTs));
        for (const char *action : {"login", "logout", "join_channel", "leave_channel", "typing", "read"}) {
            EXPECT_ACCEPTED(serialize(sampleActivity(action, "")), sampleActivity(action, ""));
            EXPECT_ACCEPTED(serialize(sampleActivity(action, "ch_x")), sampleActivity(action, "ch_x"));
        }
        // Escapes, control characters, emoji, an escaped NUL: all survive.
        m.content = std::string("tab\there \"quoted\" back\\slash 줄바꿈\n😀 nul:") + '\0' + "end";
        m.mentions = {"user_😀", "사용자"};
        const Event tricky = makeEvent(EventType::MessageCreated, m);
        const std::string text = serialize(tricky);
        QVERIFY(text.find("\\u0000") != std::string::npos);
        EXPECT_ACCEPTED(text, tricky);
    }

    void guideExample()
    {
        MessageCreated m;
        m.messageId = "msg_001";
        m.channelId = "ch_dev";
        m.authorId = "user_001";
        m.content = "프로젝트 배포 완료";
        m.mentions = {"user_002"};
        const Event expected = makeEvent(EventType::MessageCreated, m, "evt_001", 1697234567890);

        EXPECT_ACCEPTED(kGuideExample, expected);
        EXPECT_ACCEPTED(kGuideCompact, expected);
        QCOMPARE(q(serialize(expected)), q(std::string(kGuideCompact)));
        QCOMPARE(q(serialize(*parseEvent(kGuideExample).event)), q(std::string(kGuideCompact)));
        QCOMPARE(q(expected.key()), QStringLiteral("ch_dev"));
        QCOMPARE(q(topicFor(expected.type)), QStringLiteral("platform.messages.created"));
    }

    void unknownFieldsAreIgnored()
    {
        json doc = json::parse(kGuideCompact);
        doc["payload"]["reactions"] = {{"👍", 3}};
        doc["payload"]["thread"] = {{"parent", nullptr}, {"depth", {1, 2, {3}}}};
        doc["trace_id"] = "abc";
        doc["schema_version"] = 2;
        const ParseResult r = parseEvent(doc.dump());
        QVERIFY2(r.ok(), r.error ? r.error->toString().c_str() : "");
        QCOMPARE(q(serialize(*r.event)), q(std::string(kGuideCompact)));
    }

    void serializeFollowsPayloadAndNeverThrows()
    {
        // event_type comes from the payload held, so the output is always self-consistent.
        Event e = sampleDeleted();
        e.type = EventType::UserActivity;
        const ParseResult r = parseEvent(serialize(e));
        QVERIFY(r.ok());
        QVERIFY(r.event->type == EventType::MessageDeleted);

        // Invalid UTF-8 in a field is written as U+FFFD, not thrown; the output parses.
        Event bad = sampleCreated();
        std::get<MessageCreated>(bad.payload).content = "ok \xff\xfe broken \xc3";
        std::get<MessageCreated>(bad.payload).mentions = {"u\x80"};
        std::string text;
        try {
            text = serialize(bad);
        } catch (...) {
            QFAIL("serialize threw");
        }
        const ParseResult back = parseEvent(text);
        QVERIFY2(back.ok(), back.error ? back.error->toString().c_str() : "");
        QVERIFY(std::get<MessageCreated>(back.event->payload).content.find("\xef\xbf\xbd") != std::string::npos);
    }

    void serializeIntoReplacesWhatTheBufferHeld()
    {
        // The backend workload reuses one buffer for every event: each time it must hold exactly serialize(e), after
        // a longer event, after the invalid-UTF-8 fallback and after an empty start.
        Event bad = sampleCreated();
        std::get<MessageCreated>(bad.payload).content = "ok \xff broken";
        Event longer = sampleCreated();
        std::get<MessageCreated>(longer.payload).content = std::string(5000, 'x');
        std::vector<Event> events = {longer, sampleDeleted(), bad, sampleActivity(), longer, bad, sampleNotification()};
        WorkloadGenerator gen(11);
        for (int i = 0; i < 500; ++i)
            events.push_back(gen.next(1697234567890 + i));
        std::string buffer = "left over from before";
        for (const Event &e : events) {
            serializeInto(e, buffer);
            QCOMPARE(q(buffer), q(serialize(e)));
            QVERIFY2(parseEvent(buffer).ok(), buffer.c_str());
        }
    }

    // ---- malformed documents ------------------------------------------------------------------------------
    void notJson_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray("  \n\t ");
        QTest::newRow("word") << QByteArray("hello");
        QTest::newRow("open brace") << QByteArray("{");
        QTest::newRow("close brace") << QByteArray("}");
        QTest::newRow("single quotes") << QByteArray("{'event_type':'message.created'}");
        QTest::newRow("trailing comma") << QByteArray(R"({"event_type":"message.created",})");
        QTest::newRow("comment") << QByteArray(R"(/* c */{"event_type":"message.created"})");
        QTest::newRow("two documents") << QByteArray(kGuideCompact) + QByteArray(kGuideCompact);
        QTest::newRow("trailing garbage") << QByteArray(kGuideCompact) + QByteArray(" x");
        QTest::newRow("unquoted key") << QByteArray(R"({event_type:"message.created"})");
        QTest::newRow("NUL only") << QByteArray(1, '\0');
        QTest::newRow("NUL before document") << QByteArray(1, '\0') + QByteArray(kGuideCompact);
        QTest::newRow("NUL after document") << QByteArray(kGuideCompact) + QByteArray(1, '\0');
        QTest::newRow("NUL and garbage after document") << QByteArray(kGuideCompact) + QByteArray("\0garbage", 8);
        QTest::newRow("NUL between members") << QByteArray(R"({"event_type":"message.created",)") + QByteArray(1, '\0');
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
        QTest::newRow("UTF-16") << QByteArray("\xff\xfe{\0}\0", 6);
    }

    void notJson()
    {
        QFETCH(QByteArray, doc);
        EXPECT_REJECTED(std::string_view(doc.constData(), std::size_t(doc.size())), "");
    }

    void syntaxErrorsNameTheirField_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("field");
        QTest::newRow("NaN") << QByteArray(R"({"timestamp":NaN})") << QStringLiteral("timestamp");
        QTest::newRow("lone surrogate escape") << QByteArray(R"({"payload":{"content":"\ud800"}})")
                                               << QStringLiteral("payload.content");
        QTest::newRow("bad escape") << QByteArray(R"({"payload":{"mentions":["a","\q"]}})")
                                    << QStringLiteral("payload.mentions[1]");
        QTest::newRow("missing comma") << QByteArray(R"({"payload":{"a":1 "b":2}})") << QStringLiteral("payload");
        QTest::newRow("in a root array") << QByteArray(R"(["\q"])") << QStringLiteral("[0]");
    }

    void syntaxErrorsNameTheirField()
    {
        QFETCH(QByteArray, doc);
        QFETCH(QString, field);
        EXPECT_REJECTED(doc.toStdString(), field.toStdString());
    }

    void notAnObject_data()
    {
        QTest::addColumn<QByteArray>("doc");
        QTest::newRow("array") << QByteArray(R"([{"event_type":"message.created"}])");
        QTest::newRow("empty array") << QByteArray("[]");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("string") << QByteArray(R"("message.created")");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("true") << QByteArray("true");
    }

    void notAnObject()
    {
        QFETCH(QByteArray, doc);
        const ParseResult r = parseEvent(std::string_view(doc.constData(), std::size_t(doc.size())));
        QVERIFY(!r.ok() && r.error);
        QCOMPARE(q(r.error->field), QString());
        QVERIFY2(r.error->reason.find("expected a JSON object") != std::string::npos, r.error->reason.c_str());
    }

    void eachRequiredFieldMissing()
    {
        int checked = 0;
        for (const Event &e : samples()) {
            const json valid = json::parse(serialize(e));
            std::vector<json::json_pointer> pointers;
            collectPointers(valid, json::json_pointer(), pointers);
            for (const auto &ptr : pointers) {
                const json::json_pointer parent = ptr.parent_pointer();
                if (!valid.at(parent).is_object())
                    continue; // array elements are not "fields"
                json doc = valid;
                doc.at(parent).erase(ptr.back());
                const std::string field = pathOf(valid, ptr);
                const std::string why = rejectedAt(doc.dump(), field);
                QVERIFY2(why.empty(), (std::string(eventTypeName(e.type)) + " without " + field + ": " + why).c_str());
                ++checked;
            }
        }
        QVERIFY(checked >= 35);
    }

    void wrongTypes()
    {
        const std::vector<json> replacements = {json(42), json(-7), json(1.5), json("text"), json(true),
                                                json(nullptr), json::array(), json::array({1}), json::object()};
        int checked = 0;
        for (const Event &e : samples()) {
            const json valid = json::parse(serialize(e));
            std::vector<json::json_pointer> pointers;
            collectPointers(valid, json::json_pointer(), pointers);
            for (const auto &ptr : pointers) {
                for (const json &replacement : replacements) {
                    if (sameKind(valid.at(ptr), replacement))
                        continue;
                    json doc = valid;
                    doc.at(ptr) = replacement;
                    const std::string field = pathOf(valid, ptr);
                    const std::string why = rejectedAt(doc.dump(), field);
                    QVERIFY2(why.empty(), (std::string(eventTypeName(e.type)) + " with " + field + "=" +
                                           replacement.dump() + ": " + why)
                                              .c_str());
                    ++checked;
                }
            }
        }
        QVERIFY(checked >= 300);

        // The reason reads as a sentence.
        const ParseResult r = parseEvent(withPayloadField(sampleCreated(), "mentions", json::array({"a", "b", 3})));
        QVERIFY(r.error);
        QCOMPARE(q(r.error->toString()), QStringLiteral("payload.mentions[2]: expected a string, found a number"));
    }

    void emptyIds()
    {
        const std::vector<std::pair<Event, std::vector<std::string>>> ids = {
            {sampleCreated(), {"message_id", "channel_id", "author_id"}},
            {sampleUpdated(), {"message_id", "channel_id", "author_id"}},
            {sampleDeleted(), {"message_id", "channel_id", "deleted_by"}},
            {sampleNotification(), {"notification_id", "recipient_id", "message_id", "channel_id", "author_id"}},
            {sampleActivity(), {"user_id", "action"}},
        };
        for (const auto &[event, keys] : ids) {
            for (const std::string &key : keys)
                EXPECT_REJECTED(withPayloadField(event, key, ""), "payload." + key);
            json doc = json::parse(serialize(event));
            doc["event_id"] = "";
            EXPECT_REJECTED(doc.dump(), "event_id");
        }
        EXPECT_REJECTED(withPayloadField(sampleCreated(), "mentions", json::array({"u1", ""})), "payload.mentions[1]");
        // Optional-by-content strings may be empty.
        Event ok = sampleNotification();
        std::get<NotificationSent>(ok.payload).title.clear();
        std::get<NotificationSent>(ok.payload).body.clear();
        EXPECT_ACCEPTED(serialize(ok), ok);
    }

    void eventTypes()
    {
        json doc = json::parse(kGuideCompact);
        for (const char *bad : {"message.exploded", "MESSAGE.CREATED", "message.created ", "message", "user"}) {
            doc["event_type"] = bad;
            EXPECT_REJECTED(doc.dump(), "event_type");
        }
        doc["event_type"] = "";
        EXPECT_REJECTED(doc.dump(), "event_type");
        // A known type with the wrong payload shape: the first missing field is named.
        doc["event_type"] = "notification.sent";
        EXPECT_REJECTED(doc.dump(), "payload.notification_id");
        doc["event_type"] = "message.deleted";
        EXPECT_REJECTED(doc.dump(), "payload.deleted_by");
        // A user-controlled type name in the reason is quoted, ASCII and bounded.
        doc["event_type"] = std::string(5000, 'x') + "\xec\x95\x88";
        const ParseResult r = parseEvent(doc.dump());
        QVERIFY(r.error);
        QVERIFY(r.error->reason.size() < 300);
        for (char c : r.error->reason)
            QVERIFY(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("negative") << QByteArray("-1");
        QTest::newRow("fraction") << QByteArray("1697234567890.5");
        QTest::newRow("integral float") << QByteArray("1697234567890.0");
        QTest::newRow("exponent") << QByteArray("1.6e12");
        QTest::newRow("string") << QByteArray(R"("1697234567890")");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("above int64") << QByteArray("9223372036854775808");
        QTest::newRow("above uint64") << QByteArray("18446744073709551616");
        QTest::newRow("huge") << QByteArray("1e400");
        QTest::newRow("int64 min") << QByteArray("-9223372036854775808");
    }

    void timestamps()
    {
        QFETCH(QByteArray, value);
        std::string doc = kGuideCompact;
        const std::string from = "1697234567890";
        doc.replace(doc.find(from), from.size(), value.toStdString());
        EXPECT_REJECTED(doc, "timestamp");
        // The same rules hold for every integer field.
        EXPECT_REJECTED(withPayloadField(sampleUpdated(), "edited_at", json::parse(value.toStdString(), nullptr, false)),
                        "payload.edited_at");
    }

    void integerBounds()
    {
        json doc = json::parse(kGuideCompact);
        doc["timestamp"] = std::numeric_limits<std::int64_t>::max();
        QVERIFY(parseEvent(doc.dump()).ok());
        doc["timestamp"] = 0;
        QVERIFY(parseEvent(doc.dump()).ok());
        json created = json::parse(serialize(sampleCreated()));
        created["payload"]["attachments"][1]["size_bytes"] = -5;
        EXPECT_REJECTED(created.dump(), "payload.attachments[1].size_bytes");
    }

    void unknownAction()
    {
        for (const char *bad : {"dance", "LOGIN", "log in", "join-channel"})
            EXPECT_REJECTED(withPayloadField(sampleActivity(), "action", bad), "payload.action");
    }

    void duplicateKeys()
    {
        EXPECT_REJECTED(std::string(R"({"event_type":"message.created","event_type":"user.activity"})"), "event_type");
        std::string doc = kGuideCompact;
        doc.insert(doc.find(R"("content")"), R"("content":"first",)");
        EXPECT_REJECTED(doc, "payload.content");
    }

    // ---- limits -------------------------------------------------------------------------------------------
    void stringLimits()
    {
        Event e = sampleCreated();
        auto &m = std::get<MessageCreated>(e.payload);
        m.content = std::string(kMaxStringBytes, 'a');
        EXPECT_ACCEPTED(serialize(e), e);
        m.content = std::string(kMaxStringBytes + 1, 'a');
        EXPECT_REJECTED(serialize(e), "payload.content");
        // The limit is in bytes: 21,846 Hangul syllables are 65,538 bytes.
        m.content.clear();
        for (int i = 0; i < 21846; ++i)
            m.content += "한";
        EXPECT_REJECTED(serialize(e), "payload.content");
        // Escapes count after decoding: 40,000 "\n" escapes are 80,000 bytes of JSON but 40,000 bytes of text.
        m.content = std::string(40000, '\n');
        EXPECT_ACCEPTED(serialize(e), e);

        m = std::get<MessageCreated>(sampleCreated().payload);
        m.mentions[1] = std::string(100 * 1024, 'u');
        EXPECT_REJECTED(serialize(e), "payload.mentions[1]");
        m = std::get<MessageCreated>(sampleCreated().payload);
        m.attachments[0].url = std::string(kMaxStringBytes + 1, 'h');
        EXPECT_REJECTED(serialize(e), "payload.attachments[0].url");
        e.eventId = std::string(kMaxStringBytes + 1, 'e');
        EXPECT_REJECTED(serialize(e), "event_id");
        // Also in fields we do not know: the limit holds for every string in the document.
        EXPECT_REJECTED(withPayloadField(sampleDeleted(), "blob", std::string(kMaxStringBytes + 1, 'b')), "payload.blob");
    }

    void listLimits()
    {
        Event e = sampleCreated();
        auto &m = std::get<MessageCreated>(e.payload);
        m.mentions.assign(kMaxListItems, "u");
        EXPECT_ACCEPTED(serialize(e), e);
        m.mentions.assign(kMaxListItems + 1, "u");
        EXPECT_REJECTED(serialize(e), "payload.mentions");
        m.mentions = {"u"};
        m.attachments.assign(kMaxListItems, Attachment{"a", "b", 1});
        EXPECT_ACCEPTED(serialize(e), e);
        m.attachments.assign(kMaxListItems + 1, Attachment{"a", "b", 1});
        EXPECT_REJECTED(serialize(e), "payload.attachments");

        Event u = sampleUpdated();
        std::get<MessageUpdated>(u.payload).mentions.assign(5000, "user");
        EXPECT_REJECTED(serialize(u), "payload.mentions");
    }

    void documentSize()
    {
        // A valid event padded with unknown fields to exactly the limit is accepted ...
        json doc = json::parse(kGuideCompact);
        for (int i = 0;; ++i) {
            const std::string key = "pad" + std::to_string(i);
            const std::size_t overhead = key.size() + 6; // ,"key":""
            const std::size_t room = kMaxEventBytes - doc.dump().size();
            if (room >= 60000 + 2 * overhead + 1) {
                doc["payload"][key] = std::string(60000, 'p');
                continue;
            }
            doc["payload"][key] = std::string(room - overhead, 'p'); // the last one fills the rest exactly
            break;
        }
        const std::string atLimit = doc.dump();
        QCOMPARE(atLimit.size(), kMaxEventBytes);
        QVERIFY(parseEvent(atLimit).ok());
        // ... one byte more (whitespace) is not, and the check comes before parsing.
        EXPECT_REJECTED(atLimit + " ", "");
        const ParseResult r = parseEvent(atLimit + " ");
        QVERIFY2(r.error->reason.find("larger than the limit") != std::string::npos, r.error->reason.c_str());
        const std::string garbage(3 * kMaxEventBytes, '[');
        const ParseResult g = parseEvent(garbage);
        QVERIFY(g.error);
        QVERIFY2(g.error->reason.find("larger than the limit") != std::string::npos, g.error->reason.c_str());
    }

    void deepNesting()
    {
        for (const std::string &doc :
             {std::string(100000, '['), std::string(100000, '{'), std::string(100000, '[') + std::string(100000, ']')}) {
            const ParseResult r = parseEvent(doc);
            QVERIFY(r.error);
            QCOMPARE(q(r.error->field), QString());
            QVERIFY2(r.error->reason.find("nested deeper") != std::string::npos, r.error->reason.c_str());
        }
        std::string objects;
        for (int i = 0; i < 100000; ++i)
            objects += R"({"a":)";
        EXPECT_REJECTED(objects, "");

        // Nesting inside an unknown field: 60 levels are fine, 65 are not.
        auto nested = [](int depth) {
            json v = "leaf";
            for (int i = 0; i < depth; ++i)
                v = json::array({v});
            return v;
        };
        QVERIFY(parseEvent(withPayloadField(sampleDeleted(), "extra", nested(60))).ok());
        EXPECT_REJECTED(withPayloadField(sampleDeleted(), "extra", nested(65)), "");

        // Brackets inside strings are text, not nesting (and escaped quotes do not end the string).
        Event e = sampleCreated();
        std::get<MessageCreated>(e.payload).content = "\"[{\\\"" + std::string(60000, '[') + "\\";
        EXPECT_ACCEPTED(serialize(e), e);
    }

    void invalidUtf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("lone continuation") << QByteArray("\x80");
        QTest::newRow("0xFF") << QByteArray("\xff");
        QTest::newRow("0xFE 0xFF") << QByteArray("\xfe\xff");
        QTest::newRow("truncated 2-byte") << QByteArray("\xc3");
        QTest::newRow("bad continuation") << QByteArray("\xc3\x28");
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf");
        QTest::newRow("overlong NUL") << QByteArray("\xc0\x80");
        QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80");
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80");
        QTest::newRow("truncated Hangul") << QByteArray("\xed\x94");
        QTest::newRow("raw NUL") << QByteArray(1, '\0');
        QTest::newRow("raw newline") << QByteArray("\n");
    }

    void invalidUtf8()
    {
        QFETCH(QByteArray, bytes);
        const std::string bad = "프로젝트 " + bytes.toStdString() + " 완료";
        const std::string content = "\"content\":\"";
        std::string doc = kGuideCompact;
        const std::size_t at = doc.find(content) + content.size();
        doc.replace(at, doc.find('"', at) - at, bad);
        EXPECT_REJECTED(doc, "payload.content");

        std::string idDoc = kGuideCompact;
        idDoc.replace(idDoc.find("evt_001"), 7, "evt_" + bytes.toStdString());
        EXPECT_REJECTED(idDoc, "event_id");

        std::string mentionDoc = kGuideCompact;
        mentionDoc.replace(mentionDoc.find("user_002"), 8, "user_" + bytes.toStdString());
        EXPECT_REJECTED(mentionDoc, "payload.mentions[0]");

        // In a key: the error names the object that holds it.
        std::string keyDoc = kGuideCompact;
        keyDoc.replace(keyDoc.find("author_id"), 9, "auth" + bytes.toStdString());
        EXPECT_REJECTED(keyDoc, "payload");
    }

    void truncatedDocuments()
    {
        std::vector<std::string> docs = {kGuideCompact, kGuideExample};
        for (const Event &e : samples())
            docs.push_back(serialize(e));
        int checked = 0;
        for (const std::string &doc : docs) {
            for (std::size_t len = 0; len < doc.size(); ++len) {
                const ParseResult r = parseEvent(std::string_view(doc).substr(0, len));
                QVERIFY(r.event.has_value() != r.error.has_value());
                QVERIFY2(!r.ok(), doc.substr(0, len).c_str());
                ++checked;
            }
        }
        QVERIFY(checked > 1000);
        // A cut inside a field's string names that field.
        std::string doc = kGuideCompact;
        EXPECT_REJECTED(doc.substr(0, doc.find("배포")), "payload.content");
        EXPECT_REJECTED(doc.substr(0, doc.find("user_002") + 3), "payload.mentions[0]");
    }


    // ---- the hot path (FastEventCodec) against nlohmann ---------------------------------------------------
    // The workload's events, the samples, and strings that need every kind of escape all take the hot path both
    // ways, and it writes and reads exactly what nlohmann does.
    void hotPathTakesTheEventsWeProduce()
    {
        std::vector<Event> events = samples();
        WorkloadGenerator gen(7);
        for (int i = 0; i < 20000; ++i)
            events.push_back(gen.next(1697234567890 + i));
        std::string awkward;
        for (int c = 1; c < 0x20; ++c)
            awkward += char(c);
        awkward += "\"\\/\x7f é 한글 \xf0\x9f\x98\x80 end";
        Event odd = sampleNotification();
        std::get<NotificationSent>(odd.payload).body = awkward;
        std::get<NotificationSent>(odd.payload).title = std::string("nul\0inside", 10);
        std::get<NotificationSent>(odd.payload).notifiedAtMs = 0;
        events.push_back(odd);
        Event big = sampleUpdated();
        big.timestampMs = 999999999999999999; // 18 digits: the most the hot path reads itself
        events.push_back(big);

        for (const Event &e : events) {
            std::string fast;
            QVERIFY2(fastcodec::serialize(e, fast), detail::serializeWithNlohmann(e).c_str());
            const std::string reference = detail::serializeWithNlohmann(e);
            QCOMPARE(q(fast), q(reference));
            QCOMPARE(serialize(e), reference);
            const std::optional<Event> back = fastcodec::parse(fast);
            QVERIFY2(back.has_value(), fast.c_str());
            QVERIFY2(*back == e, fast.c_str());
            const ParseResult strict = detail::parseEventWithNlohmann(fast);
            QVERIFY2(strict.ok() && *strict.event == *back, fast.c_str());
        }
        // Whitespace and escapes a person or another tool may write are read by the hot path too.
        QVERIFY(fastcodec::parse(kGuideExample).has_value());
        const std::string escaped = R"({"event_type":"user.activity","event_id":"e\u0031","timestamp":5,)"
                                    R"("payload":{"user_id":"u\/1","action":"read","channel_id":"\u00e9\ud55c\n"}})";
        const std::optional<Event> ev = fastcodec::parse(escaped);
        QVERIFY(ev.has_value());
        QCOMPARE(q(ev->eventId), QStringLiteral("e1"));
        QCOMPARE(q(std::get<UserActivity>(ev->payload).channelId), QString::fromUtf8("é한\n"));
    }

    // What the hot path leaves to nlohmann is decided there, with its message.
    void hotPathLeavesTheRestToTheStrictParser_data()
    {
        QTest::addColumn<QByteArray>("doc");
        const std::string c = kGuideCompact;
        const auto with = [&](const std::string &from, const std::string &to) {
            std::string d = c;
            d.replace(d.find(from), from.size(), to);
            return QByteArray::fromStdString(d);
        };
        QTest::newRow("unknown field") << with("\"payload\"", "\"extra\":1,\"payload\"");
        QTest::newRow("payload before event_type") << QByteArray(R"({"payload":{"user_id":"u","action":"read","channel_id":""},)"
                                                                 R"("event_type":"user.activity","event_id":"e","timestamp":1})");
        QTest::newRow("duplicate key") << with("\"event_id\"", "\"event_id\":\"x\",\"event_id\"");
        QTest::newRow("missing field") << with(",\"attachments\":[]", "");
        QTest::newRow("empty id") << with("\"msg_001\"", "\"\"");
        QTest::newRow("negative") << with("1697234567890", "-1");
        QTest::newRow("minus zero") << with("1697234567890", "-0");
        QTest::newRow("leading zero") << with("1697234567890", "01");
        QTest::newRow("fraction") << with("1697234567890", "1.5");
        QTest::newRow("exponent") << with("1697234567890", "1e3");
        QTest::newRow("19 digits") << with("1697234567890", "1000000000000000000");
        QTest::newRow("too big") << with("1697234567890", "99999999999999999999");
        QTest::newRow("surrogate pair") << with("배포", "\\ud83d\\ude00");
        QTest::newRow("lone surrogate") << with("배포", "\\ud800");
        QTest::newRow("bad escape") << with("배포", "\\x41");
        QTest::newRow("raw control") << with("배포", "\t");
        QTest::newRow("invalid utf-8") << with("배포", "\xed\xa0\x80");
        QTest::newRow("overlong") << with("배포", "\xc0\xaf");
        QTest::newRow("unknown action") << QByteArray(R"({"event_type":"user.activity","event_id":"e","timestamp":1,)"
                                                      R"("payload":{"user_id":"u","action":"dance","channel_id":""}})");
        QTest::newRow("unknown type") << with("message.created", "message.sent");
        QTest::newRow("trailing comma") << with("[]}", "[],}");
        QTest::newRow("trailing garbage") << QByteArray::fromStdString(c + "x");
        QTest::newRow("second document") << QByteArray::fromStdString(c + c);
        QTest::newRow("nul after") << QByteArray::fromStdString(c + std::string(1, '\0'));
        QTest::newRow("byte order mark") << QByteArray::fromStdString("\xef\xbb\xbf" + c);
        QTest::newRow("string too long") << with("배포", std::string(kMaxStringBytes + 1, 'a'));
        QTest::newRow("mention not a string") << with("[\"user_002\"]", "[2]");
        QTest::newRow("empty mention") << with("[\"user_002\"]", "[\"\"]");
        QTest::newRow("too many mentions") << with("[\"user_002\"]", [] {
            std::string l = "[";
            for (std::size_t i = 0; i <= kMaxListItems; ++i)
                l += (i ? ",\"u\"" : "\"u\"");
            return l + "]";
        }());
    }

    void hotPathLeavesTheRestToTheStrictParser()
    {
        QFETCH(QByteArray, doc);
        const std::string_view bytes(doc.constData(), static_cast<std::size_t>(doc.size()));
        QVERIFY2(!fastcodec::parse(bytes).has_value(), doc.left(200).constData());
        const ParseResult strict = detail::parseEventWithNlohmann(bytes);
        const ParseResult viaApi = parseEvent(bytes);
        QCOMPARE(viaApi.ok(), strict.ok());
        if (strict.ok())
            QVERIFY(*viaApi.event == *strict.event);
        else
            QCOMPARE(q(viaApi.error->toString()), q(strict.error->toString()));
    }

    // Strings that are not valid UTF-8 are written by nlohmann (bad bytes become U+FFFD).
    void hotPathWriterDeclinesInvalidUtf8()
    {
        for (const std::string &bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
                                      std::string("\xf4\x90\x80\x80"), std::string("\xc0\xaf")}) {
            Event e = sampleCreated();
            std::get<MessageCreated>(e.payload).mentions.push_back(bad);
            std::string out;
            QVERIFY(!fastcodec::serialize(e, out));
            QCOMPARE(serialize(e), detail::serializeWithNlohmann(e));
            QVERIFY(serialize(e).find("\xef\xbf\xbd") != std::string::npos);
        }
    }

    // Random damage to the events we produce: whatever the hot path accepts, nlohmann accepts as the same event,
    // and parseEvent's answer is nlohmann's, message for message.
    void hotPathAgreesWithStrictParserUnderMutation()
    {
        std::vector<std::string> corpus = {kGuideCompact, kGuideExample};
        for (const Event &e : samples())
            corpus.push_back(serialize(e));
        WorkloadGenerator gen(11);
        for (int i = 0; i < 50; ++i)
            corpus.push_back(serialize(gen.next(1697234567890 + i)));
        const std::vector<std::string> tokens = {" ", "\n", "\t", "\r", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\u00e9",
                                                 "\\ud55c", "\\ud83d\\ude00", "\\ud800", "\\u12", "\"", "\\", ",", ":",
                                                 "0", "00", "-", ".", "e", "9", "{", "}", "[", "]", "\xc3\xa9", "\xc3",
                                                 "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\x7f", std::string(1, '\0'), "null"};
        std::mt19937 rng(20261206u); // fixed seed: the same documents every run
        auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
        int fastAccepted = 0, strictOnly = 0, rejected = 0;
        for (int i = 0; i < 40000; ++i) {
            std::string doc = corpus[pick(corpus.size())];
            const std::size_t rounds = 1 + pick(2);
            for (std::size_t k = 0; k < rounds && !doc.empty(); ++k) {
                const std::size_t pos = pick(doc.size());
                switch (pick(5)) {
                case 0: doc.insert(pos, tokens[pick(tokens.size())]); break;
                case 1: doc.erase(pos, 1 + pick(3)); break;
                case 2: doc[pos] = tokens[pick(tokens.size())].front(); break;
                case 3: doc[pos] = char(doc[pos] ^ (1 << pick(8))); break;
                case 4: doc.resize(pos); break;
                }
            }
            const ParseResult strict = detail::parseEventWithNlohmann(doc);
            const std::optional<Event> fast = fastcodec::parse(doc);
            if (fast) {
                ++fastAccepted;
                if (!strict.ok())
                    QFAIL((doc + "\nthe hot path accepted what the strict parser rejects: " + strict.error->toString()).c_str());
                QVERIFY2(*strict.event == *fast, doc.c_str());
            } else if (strict.ok()) {
                ++strictOnly;
            } else {
                ++rejected;
            }
            const ParseResult viaApi = parseEvent(doc);
            QCOMPARE(viaApi.ok(), strict.ok());
            if (!strict.ok())
                QCOMPARE(q(viaApi.error->toString()), q(strict.error->toString()));
        }
        qInfo("hot path under mutation: %d read by the hot path, %d left to nlohmann and accepted, %d rejected",
              fastAccepted, strictOnly, rejected);
        // Each outcome is exercised many times, or the comparison above proves little.
        QVERIFY(fastAccepted > 2000);
        QVERIFY(strictOnly > 20);
        QVERIFY(rejected > 10000);
    }

    // ---- robustness ---------------------------------------------------------------------------------------
    void randomMutations()
    {
        std::vector<std::string> corpus = {kGuideCompact, kGuideExample};
        for (const Event &e : samples())
            corpus.push_back(serialize(e));
        const std::vector<std::string> tokens = {"[", "]", "{", "}", "\"", "\\", ",", ":", "0", "-", ".", "e", "1e999",
                                                 "null", "true", std::string(1, '\0'), "\xff", "\xc3", "\xed\xa0\x80",
                                                 "\\u0000", "\\ud800", "\"\":", std::string(70, '['), "한"};
        std::mt19937 rng(20231013u); // fixed seed: the same 20,000 documents every run
        auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };

        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string doc = corpus[pick(corpus.size())];
            const std::size_t rounds = 1 + pick(4);
            for (std::size_t k = 0; k < rounds && !doc.empty(); ++k) {
                const std::size_t pos = pick(doc.size());
                switch (pick(7)) {
                case 0: doc[pos] = char(pick(256)); break;                          // replace a byte
                case 1: doc[pos] = char(doc[pos] ^ (1 << pick(8))); break;          // flip a bit
                case 2: doc.insert(pos, 1, char(pick(256))); break;                  // insert a byte
                case 3: doc.erase(pos, 1 + pick(8)); break;                          // delete a run
                case 4: doc.insert(pos, tokens[pick(tokens.size())]); break;         // insert a token
                case 5: doc.resize(pos); break;                                      // truncate
                case 6: {                                                            // duplicate a chunk
                    const std::size_t len = 1 + pick(std::min<std::size_t>(doc.size() - pos, 40));
                    doc.insert(pick(doc.size()), doc.substr(pos, len));
                    break;
                }
                }
            }
            const ParseResult r = parseEvent(doc);
            QVERIFY(r.event.has_value() != r.error.has_value());
            if (r.ok()) {
                ++accepted;
                // Whatever was accepted serializes to a document that parses back to the same event.
                const std::string again = serialize(*r.event);
                const ParseResult back = parseEvent(again);
                QVERIFY2(back.ok() && *back.event == *r.event, again.c_str());
            } else {
                ++rejected;
                QVERIFY(!r.error->reason.empty());
            }
        }
        qInfo("random mutations: %d accepted, %d rejected", accepted, rejected);
        QVERIFY(rejected > 10000);
        QVERIFY(accepted > 0); // some mutations land in free text and stay valid
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
