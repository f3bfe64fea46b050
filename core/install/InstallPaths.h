#pragma once
// Where the app finds its read-only resources (lab files, the local lab stack's scripts, translations) and where
// it keeps user data. An installed app (the .deb at /usr, or the unpacked .tar.gz anywhere) reads
// <exe>/../share/kafka-collab-lab/...; a build from the source tree, which has no such directory next to its
// executable, reads the source tree's resources/ (KCL_RESOURCES_DIR). The installed path wins, so an installed
// copy never depends on a source checkout that happens to be on the same machine.
#include <QString>

namespace kcl {

// <exe>/../share/kafka-collab-lab when it exists (an installed copy), else an empty string.
QString installedShareDirectory();

// A resource by its path under resources/ ("labs", "stack/labstack.sh", "translations"): the installed copy if
// present, else the source tree's. Returns the path even when neither exists (callers report what is missing).
QString resourcePath(const QString &relative);

// Per-user data (stack data and jar cache, archive files): $XDG_DATA_HOME/kafka-collab-lab, by default
// ~/.local/share/kafka-collab-lab. Settings go through QSettings, which uses $XDG_CONFIG_HOME.
QString userDataDirectory();

} // namespace kcl
