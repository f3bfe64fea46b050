#pragma once
// Options of the analytics, archive and state-rebuilder services (part of PipelineOptions).
#include <string>

namespace kcl {

struct ServiceOptions {
    // Members started with the pipeline (0: started later through setGroupMembers, e.g. from a lab or the ui).
    int analyticsMembers = 0;
    int archiveMembers = 0;
    int rebuilderMembers = 0;
    std::string archiveDirectory;       // "" = defaultArchiveDirectory()
    bool publishLatestState = true;     // the rebuilder's compacted topic (real clusters only)
    // Once caught up, the rebuilder compares its state with <schema>.messages in the cluster profile's PostgreSQL
    // (the CQRS write model); "" = no comparison.
    std::string writeModelSchema;
};

} // namespace kcl
