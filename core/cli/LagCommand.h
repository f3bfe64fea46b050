#pragma once
// What the `groups` and `watch` subcommands share: their common options (--cluster, --group, --json, --cycles,
// --help) with the same messages and exit statuses, and a monitor session that runs LagMonitor cycles on the
// calling thread. The embedded cluster lives only inside this process, so there the session runs the default
// pipeline to have groups to show.
#include "cluster/ClusterProfile.h"
#include "metrics/LagReport.h"

#include <QCommandLineParser>
#include <QList>
#include <QStringList>
#include <QTextStream>
#include <memory>
#include <optional>
#include <string>

namespace kcl {

class LagMonitor;
class Pipeline;

struct LagCommandSpec {
    QString command;                         // "groups", "watch"
    QString description;                     // first line of --help
    QString cyclesHelp;                      // what --cycles means for this command
    int maxCycles = 3600;
    QList<QCommandLineOption> extraOptions;  // read them from the parser after parseLagCommand
};

struct LagCommandOptions {
    ClusterProfile profile;
    std::optional<std::string> group;        // --group
    bool json = false;                       // --json
    std::optional<int> cycles;               // --cycles, when given (checked against the spec's range)
    bool embedded() const { return profile.kind == ClusterProfile::Kind::Embedded; }
};

// Parses `kafka-collab-lab <command> args` into `options`; the extra options stay in `parser`. Returns the exit
// status to end with when the command should stop here: 0 after --help (printed to `out`), 2 after a bad option
// (a message naming it on `err`); std::nullopt to go on.
std::optional<int> parseLagCommand(const LagCommandSpec &spec, const QStringList &args, QCommandLineParser &parser,
                                   LagCommandOptions &options, QTextStream &out, QTextStream &err);

// Prints "kafka-collab-lab <command>: <message>" on `err` and returns 2 (a bad option).
int lagCommandUsageError(const LagCommandSpec &spec, const QString &message, QTextStream &err);

// True when the cycle could not read the cluster's metadata (the cluster did not answer).
bool clusterUnreachable(const LagReport &report);
// Why: the metadata error, which names the client's own last error (authentication, TLS, refused); empty if none.
std::string clusterUnreachableReason(const LagReport &report);

// One LagMonitor driven by the calling thread; on the embedded cluster also the default pipeline (with two
// notification-service members) and the app's own groups fed to the monitor before each cycle.
class LagSession {
public:
    explicit LagSession(const LagCommandOptions &options); // throws std::exception (configuration, cluster start)
    ~LagSession();
    LagSession(const LagSession &) = delete;
    LagSession &operator=(const LagSession &) = delete;

    LagReport cycle();

private:
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<LagMonitor> m_monitor;
};

} // namespace kcl
