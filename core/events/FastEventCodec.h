#pragma once
// The hot path of the event codec: a writer and a reader for the events the platform itself produces, without a
// DOM. They exist because nlohmann's DOM costs about 4 us per event, which capped one consumer at about 120,000
// events/s and the backend workload at about 250,000 (docs/benchmarks.md).
//
// nlohmann stays the authority: the reader only answers when it is sure the strict parser would return the very
// same event (a canonical document: known keys, each once, event_type before payload, integers without sign,
// fraction or exponent, valid UTF-8, no surrogate escapes); for anything else it answers "not sure" and
// parseEvent() asks the strict parser, which also writes every error message. The writer declines strings that are
// not valid UTF-8 (nlohmann replaces their bad bytes). tst_events compares both paths on every kind of input.
#include "events/Event.h"

#include <optional>
#include <string>
#include <string_view>

namespace kcl::fastcodec {

// The event, or nullopt when the strict parser must decide (which may still accept it).
std::optional<Event> parse(std::string_view bytes);

// Appends the compact JSON nlohmann would write; false (and `out` unspecified) if a string is not valid UTF-8.
bool serialize(const Event &e, std::string &out);

} // namespace kcl::fastcodec
