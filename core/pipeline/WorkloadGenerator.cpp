#include "pipeline/WorkloadGenerator.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace kcl {
namespace {
constexpr std::array<const char *, 12> kChannels = {"ch_dev", "ch_design", "ch_ops", "ch_random", "ch_release",
                                                    "ch_data", "ch_mobile", "ch_web", "ch_security", "ch_hr",
                                                    "ch_sales", "ch_support"};
// Korean and English words, so search and notification paths see both scripts.
constexpr std::array<const char *, 24> kWords = {
    "프로젝트", "배포", "완료", "리뷰", "부탁드립니다", "회의", "일정", "확인", "버그", "수정", "테스트", "서버",
    "deploy", "release", "review", "please", "meeting", "kafka", "lag", "consumer", "search", "index", "done", "today"};
} // namespace

std::vector<std::string> WorkloadGenerator::contentWords()
{
    return {kWords.begin(), kWords.end()};
}

WorkloadGenerator::WorkloadGenerator(std::uint64_t seed, WorkloadShape shape)
    : m_rng(seed), m_shape(shape), m_seedTag(seed)
{
}

namespace {
// Ids as snprintf("user_%03d") and ("evt_%llx_%llu") wrote them (for the non-negative numbers ids use), without
// printf's parsing: the workload makes several ids per event, and they were a fifth of its time.
void appendPadded(std::string &out, int value, int width)
{
    char buf[16];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    (void)ec;
    const int digits = static_cast<int>(end - buf);
    if (value >= 0 && digits < width)
        out.append(static_cast<std::size_t>(width - digits), '0');
    out.append(buf, end);
}

void appendNumber(std::string &out, unsigned long long value, int base)
{
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, base);
    (void)ec;
    out.append(buf, end);
}

std::string taggedId(const char *prefix, std::uint64_t seedTag, std::uint64_t number)
{
    std::string id(prefix);
    appendNumber(id, static_cast<unsigned long long>(seedTag & 0xffffff), 16);
    id += '_';
    appendNumber(id, static_cast<unsigned long long>(number), 10);
    return id;
}
} // namespace

std::string WorkloadGenerator::userId(int i)
{
    std::string id = "user_";
    appendPadded(id, i, 3);
    return id;
}

std::string WorkloadGenerator::channelId(int i)
{
    if (i >= 0 && i < static_cast<int>(kChannels.size()))
        return kChannels[static_cast<std::size_t>(i)];
    return "ch_" + std::to_string(i + 1);
}

std::string WorkloadGenerator::nextEventId() { return taggedId("evt_", m_seedTag, m_count); }

std::string WorkloadGenerator::messageId(std::uint64_t number) const { return taggedId("msg_", m_seedTag, number); }

std::string WorkloadGenerator::makeContent(int words)
{
    std::uniform_int_distribution<std::size_t> pick(0, kWords.size() - 1);
    std::string s;
    s.reserve(static_cast<std::size_t>(words) * 16);
    for (int i = 0; i < words; ++i) {
        if (i)
            s += ' ';
        s += kWords[pick(m_rng)];
    }
    return s;
}

Event WorkloadGenerator::makeCreated(std::int64_t ts)
{
    std::uniform_int_distribution<int> user(1, m_shape.users);
    std::uniform_int_distribution<int> channel(0, m_shape.channels - 1);
    std::uniform_int_distribution<int> words(4, 14);
    std::uniform_real_distribution<double> unit(0, 1);
    MessageCreated m;
    const std::uint64_t number = ++m_messageCount;
    m.messageId = messageId(number);
    const int channelIndex = channel(m_rng);
    const int authorIndex = user(m_rng);
    m.channelId = channelId(channelIndex);
    m.authorId = userId(authorIndex);
    m.content = makeContent(words(m_rng));
    if (unit(m_rng) < m_shape.mentionProbability) {
        std::uniform_int_distribution<int> count(1, 3);
        const int n = count(m_rng);
        for (int i = 0; i < n; ++i) {
            std::string u = userId(user(m_rng));
            if (u != m.authorId && std::find(m.mentions.begin(), m.mentions.end(), u) == m.mentions.end())
                m.mentions.push_back(std::move(u));
        }
        if (!m.mentions.empty()) {
            // "@last ... @first content": each mention was put in front of the content in turn.
            std::string prefixed;
            prefixed.reserve(m.content.size() + m.mentions.size() * 10);
            for (auto it = m.mentions.rbegin(); it != m.mentions.rend(); ++it) {
                prefixed += '@';
                prefixed += *it;
                prefixed += ' ';
            }
            prefixed += m.content;
            m.content = std::move(prefixed);
        }
    }
    if (unit(m_rng) < 0.05)
        m.attachments.push_back({"design.png", "https://files.example/" + m.messageId + "/design.png", 48213});
    m_recent.push_back({number, channelIndex, authorIndex});
    if (m_recent.size() > 1000)
        m_recent.pop_front();
    Event e;
    e.type = EventType::MessageCreated;
    e.eventId = nextEventId();
    e.timestampMs = ts;
    e.payload = std::move(m);
    return e;
}

Event WorkloadGenerator::next(std::int64_t timestampMs)
{
    ++m_count;
    const auto &mx = m_shape.mix;
    std::uniform_real_distribution<double> pick(0, mx.created + mx.updated + mx.deleted + mx.activity);
    const double r = pick(m_rng);
    Event e;
    e.timestampMs = timestampMs;
    if (r < mx.created || m_recent.empty())
        return makeCreated(timestampMs);
    if (r < mx.created + mx.updated) {
        std::uniform_int_distribution<std::size_t> which(0, m_recent.size() - 1);
        const Live &l = m_recent[which(m_rng)];
        MessageUpdated u{messageId(l.number), channelId(l.channel), userId(l.author), makeContent(6) + " (수정됨)", {},
                         timestampMs};
        e.type = EventType::MessageUpdated;
        e.eventId = nextEventId();
        e.payload = std::move(u);
        return e;
    }
    if (r < mx.created + mx.updated + mx.deleted) {
        std::uniform_int_distribution<std::size_t> which(0, m_recent.size() - 1);
        const std::size_t i = which(m_rng);
        MessageDeleted d{messageId(m_recent[i].number), channelId(m_recent[i].channel), userId(m_recent[i].author)};
        m_recent.erase(m_recent.begin() + static_cast<std::ptrdiff_t>(i)); // never edited after deletion
        e.type = EventType::MessageDeleted;
        e.eventId = nextEventId();
        e.payload = std::move(d);
        return e;
    }
    std::uniform_int_distribution<int> user(1, m_shape.users);
    std::uniform_int_distribution<int> channel(0, m_shape.channels - 1);
    std::uniform_int_distribution<std::size_t> action(0, kUserActions.size() - 1);
    UserActivity a;
    a.userId = userId(user(m_rng));
    a.action = std::string(kUserActions[action(m_rng)]);
    a.channelId = (a.action == "login" || a.action == "logout") ? "" : channelId(channel(m_rng));
    e.type = EventType::UserActivity;
    e.eventId = nextEventId();
    e.payload = std::move(a);
    return e;
}

} // namespace kcl
