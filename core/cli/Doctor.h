#pragma once
// `kafka-collab-lab doctor`: checks what the local lab stack needs on this machine (Java 17+, Maven, the
// PostgreSQL server binaries, free loopback ports, disk space in the data directory, the labstack script) and
// prints one line per check with the exact apt-get command for what is missing. No widgets; QtCore/QtNetwork only.
//
// Exit status: 0 when everything the stack needs is present (WARN lines do not count), 1 otherwise, 2 on a bad
// option. Environment: the stack's own variables (JAVA_HOME, KCL_STACK_HOME, XDG_DATA_HOME, KCL_KAFKA_PORT,
// KCL_KAFKA_CONTROLLER_PORT, KCL_KAFKA_SASL_PORT, KCL_KAFKA_SSL_PORT, KCL_SEARCH_PORT, KCL_SEARCH_TRANSPORT_PORT, KCL_SQL_PORT, KCL_STACK_SCRIPT) and
// KCL_DOCTOR_PORTS ("9092,9093" replaces the whole port list; for tests and unusual set-ups).
#include <QList>
#include <QString>
#include <QStringList>

class QTextStream;

namespace kcl {

struct DoctorCheck {
    enum class Status { Ok, Missing, Busy, Warn };
    QString name;        // "java", "maven", "postgresql", "port 9092", "disk", "labstack"
    Status status = Status::Ok;
    QString detail;      // what was found (or not)
    QString aptPackage;  // Debian package that fixes a MISSING line, if any
    QString hint;        // what to do otherwise
    bool blocking() const { return status == Status::Missing || status == Status::Busy; }
};

// The major Java version from `java -version` output ("1.8.0_292" -> 8, "17.0.9" -> 17, "21" -> 21); 0 if none.
int parseJavaMajorVersion(const QString &versionOutput);

// Who listens on TCP port `port` on this machine (IPv4 or IPv6): "pid 1234 (java)", "inode 5678 (another
// user's process)", or an empty string when nobody listens.
QString listenerOfPort(quint16 port);

// All checks, in the order printed.
QList<DoctorCheck> runDoctorChecks();

int runDoctor(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace kcl
