#include "metrics/HeapTrimmer.h"

#include <chrono>
#include <fstream>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kcl {

namespace {
std::atomic<std::uint64_t> g_trims{0};
std::atomic<std::uint64_t> g_bytesReturned{0};
std::atomic<std::uint64_t> g_maxTrimMicros{0};
std::atomic<std::int64_t> g_slackAfterTrim{0};
} // namespace

HeapTrimmer::HeapFigures HeapTrimmer::heapFigures()
{
#if defined(__GLIBC__)
    const struct mallinfo2 m = mallinfo2();
    return {m.uordblks + m.hblkhd, m.fordblks};
#else
    return {};
#endif
}

std::size_t HeapTrimmer::residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    if (!(statm >> pages >> resident))
        return 0;
    return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::size_t HeapTrimmer::trimIfWorthIt(std::size_t minFreeBytes)
{
#if defined(__GLIBC__)
    // Trimmed pages stay in malloc's free lists (mallinfo2 still counts them free) but are no longer resident, so
    // "free" alone cannot tell whether there is anything to give back. What can: resident memory beyond the heap in
    // use, compared with the same slack right after the last trim (code, stacks and the like stay in it).
    const std::size_t before = residentBytes();
    const auto slack = static_cast<std::int64_t>(before) - static_cast<std::int64_t>(heapFigures().inUseBytes);
    if (slack - g_slackAfterTrim.load(std::memory_order_relaxed) < static_cast<std::int64_t>(minFreeBytes))
        return 0;
    const auto start = std::chrono::steady_clock::now();
    malloc_trim(0); // every arena, and free pages inside the heaps too, not only at their tops
    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    const std::size_t after = residentBytes();
    g_slackAfterTrim.store(static_cast<std::int64_t>(after) - static_cast<std::int64_t>(heapFigures().inUseBytes),
                           std::memory_order_relaxed);
    const std::size_t returned = before > after ? before - after : 0;
    g_trims.fetch_add(1, std::memory_order_relaxed);
    g_bytesReturned.fetch_add(returned, std::memory_order_relaxed);
    std::uint64_t seen = g_maxTrimMicros.load(std::memory_order_relaxed);
    while (micros > seen && !g_maxTrimMicros.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
    return returned;
#else
    (void)minFreeBytes;
    return 0;
#endif
}

HeapTrimmer::Counters HeapTrimmer::counters()
{
    return {g_trims.load(std::memory_order_relaxed), g_bytesReturned.load(std::memory_order_relaxed),
            g_maxTrimMicros.load(std::memory_order_relaxed)};
}

} // namespace kcl
