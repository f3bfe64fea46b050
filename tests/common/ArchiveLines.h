#pragma once
// How many complete lines the archive service wrote under a directory (every *.jsonl file, recursively). Cheap: counts
// newlines and parses nothing, so a test may poll it; an incomplete last line (a kill mid-write) is not counted.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace kcl::test {

// With `filePrefix`, only files whose name starts with it (e.g. a topic's "<topic>-" for its partitions).
inline std::size_t countArchivedLines(const std::filesystem::path &dir, const std::string &filePrefix = {})
{
    std::size_t n = 0;
    std::error_code ec;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".jsonl" ||
            entry.path().filename().string().rfind(filePrefix, 0) != 0)
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        n += static_cast<std::size_t>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
    }
    return n;
}

} // namespace kcl::test
