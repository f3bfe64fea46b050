#pragma once
// Command-line options of kafka-collab-lab (GUI and headless). Parsing never exits the process: it returns
// what to do, so bad options can be reported with exit status 2.
#include "cli/HeadlessRun.h"

#include <QStringList>

namespace kcl::app {

struct CommandLine {
    enum class Mode { Gui, Headless, Help, Version, Error };
    Mode mode = Mode::Gui;
    HeadlessOptions headless;   // also carries the pipeline options used by the GUI
    QString language;           // "ko", "en" or "" (system)
    QString message;            // help text, or the error for Mode::Error
};

CommandLine parseCommandLine(const QStringList &arguments, bool displayAvailable);

} // namespace kcl::app
