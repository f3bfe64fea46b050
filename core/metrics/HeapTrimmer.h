#pragma once
// HeapTrimmer: hands memory the program has freed back to the system.
//
// Why: glibc keeps freed heap pages resident. After a passing backlog (the consumers' pre-fetch filling to its
// bound, the producer queue filling), the process would keep that high-water mark for good, so its resident memory
// could only rise, in steps, over a long run. Measured with kcl-bench-gui at 20,000 events/s: the heap in use went
// from 201 to 309 MiB and back to 203 MiB within five minutes while resident memory stayed at 424 MiB
// (docs/benchmarks.md). Trimming when much is freed makes resident memory follow what is in use.
//
// One process-wide heap, so the figures and counters are process-wide too. Linux with glibc only; elsewhere the
// calls do nothing and report zeros.
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace kcl {

class HeapTrimmer {
public:
    struct HeapFigures {
        std::size_t inUseBytes = 0;   // allocated and not freed (small blocks and mmapped ones)
        std::size_t freeBytes = 0;    // freed inside the heaps: resident until trimmed or reused
    };
    struct Counters {
        std::uint64_t trims = 0;
        std::uint64_t bytesReturned = 0;   // resident memory before minus after, summed over trims
        std::uint64_t maxTrimMicros = 0;   // the longest trim (other threads' allocations wait on it meanwhile)
    };

    static constexpr std::size_t kDefaultMinFreeBytes = 32u << 20;

    // What malloc holds now, over every arena.
    static HeapFigures heapFigures();
    // Resident memory of this process, from /proc/self/statm (0 where it cannot be read).
    static std::size_t residentBytes();
    // Trims when at least minFreeBytes more are resident but not in use than after the last trim; returns the
    // resident bytes that came back (0 if it did not trim or nothing came back). From one thread at a time.
    static std::size_t trimIfWorthIt(std::size_t minFreeBytes = kDefaultMinFreeBytes);
    static Counters counters();
};

} // namespace kcl
