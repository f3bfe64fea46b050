#pragma once
// The local lab stack controller: real Kafka (KRaft, 1 or 3 brokers), a search node (OpenSearch) and a private
// PostgreSQL on 127.0.0.1. The work is done by resources/stack/labstack.sh; this class drives it through QProcess
// so the GUI can start/stop the stack without blocking (start() + signals) and the CLI / tests can call it
// synchronously (run(), runStackCommand()).
//
// The script is found at, in this order: $KCL_STACK_SCRIPT; <executable dir>/../share/kafka-collab-lab/stack/
// labstack.sh (an installed copy); KCL_RESOURCES_DIR "/stack/labstack.sh" (the source tree, for builds).
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QProcess;

namespace kcl {

class LabStack : public QObject {
    Q_OBJECT
public:
    // The script's exit codes (see labstack.sh).
    enum ExitCode {
        Ok = 0,
        Failed = 1,          // a component did not come up / is crashed or unhealthy (status)
        Usage = 2,
        MissingPrerequisite = 3, // Java 17, Maven or PostgreSQL missing (message says what to install)
        PortBusy = 4,        // message names the port and the process holding it
        ResolveFailed = 5,   // Maven could not fetch the jars
        LayoutConflict = 6,  // e.g. 'up --brokers 1' while 3 brokers run
        ScriptNotFound = 127 // labstack.sh could not be located or not started
    };

    struct Result {
        int exitCode = ScriptNotFound;
        QString out;   // standard output
        QString err;   // standard error
        QString output() const { return err.isEmpty() ? out : out + err; }
    };

    struct Component {
        QString name;          // kafka-1 .. kafka-3, search, sql
        QString state;         // running | stopped | crashed
        qint64 pid = 0;
        QList<int> ports;
        QDateTime since;       // invalid when not running
        bool healthy = false;
        double startupSeconds = -1;
    };
    struct Status {
        QString stackHome;
        QString kafkaVersion;
        QString search;        // "opensearch 2.19.1"
        int brokers = 0;       // 0 when nothing was started
        QString bootstrap;     // "127.0.0.1:9092,..." when Kafka runs
        QList<Component> components;
        bool anyRunning() const;
        bool allHealthy() const; // every listed component running and healthy (false when none)
    };

    explicit LabStack(QObject *parent = nullptr);
    ~LabStack() override;

    // Where labstack.sh is; empty (and *error says where it looked) when not found.
    static QString locateScript(QString *error = nullptr);
    QString scriptPath() const { return m_script; }
    void setScriptPath(const QString &path) { m_script = path; }
    // Extra environment for the script (KCL_STACK_HOME, KCL_KAFKA_PORT, PATH, ...), on top of the process's own.
    void setEnvironment(const QProcessEnvironment &env) { m_env = env; }
    QProcessEnvironment environment() const { return m_env; }

    // --- asynchronous (GUI): one command at a time. Emits outputLine() per line and finished() at the end.
    bool start(const QStringList &args);
    bool up(int brokers = 1, const QStringList &with = {});
    bool down() { return start({QStringLiteral("down")}); }
    bool status() { return start({QStringLiteral("status"), QStringLiteral("--json")}); }
    bool isRunning() const;
    void cancel(); // terminate the running command (the script itself; started components keep running)

    // --- blocking convenience (CLI, tests). timeoutMs < 0: no limit.
    Result run(const QStringList &args, int timeoutMs = -1) const;
    Status queryStatus(QString *error = nullptr, int timeoutMs = 30000) const;
    static Status parseStatusJson(const QByteArray &json, QString *error = nullptr);

    static QStringList upArguments(int brokers, const QStringList &with);

signals:
    void outputLine(const QString &line, bool isError);
    void finished(int exitCode, const QString &output);

private:
    void prepare(QProcess &p, const QStringList &args) const;
    void drain(bool isError, bool flushAll);

    QString m_script;
    QProcessEnvironment m_env;
    QProcess *m_proc = nullptr;
    QString m_output;
    QByteArray m_pendingOut, m_pendingErr;
};

// `kafka-collab-lab stack ARGS...`: runs labstack.sh with ARGS, its output streamed to this process's stdout and
// stderr (and stdin forwarded, for `logs -f`); returns the script's exit code.
int runStackCommand(const QStringList &args);

} // namespace kcl
