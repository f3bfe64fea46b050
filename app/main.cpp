// kafka-collab-lab: picks GUI or headless (or a subcommand) and wires core to ui. Nothing else lives here.
#include "CommandLine.h"
#include "cli/CompareCommand.h"
#include "cli/Doctor.h"
#include "cli/GroupsCommand.h"
#include "cli/PostCommand.h"
#include "cli/SearchCommand.h"
#include "cli/WatchCommand.h"
#include "labs/LabRunner.h"
#include "cluster/LabStack.h"
#include "pipeline/EngineThread.h"

#include "MainWindow.h"
#include "Translations.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <librdkafka/rdkafka.h>

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runGui(int argc, char **argv, const kcl::app::CommandLine &cl)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Kafka Collab Lab"));
    QApplication::setOrganizationName(QStringLiteral("kafka-collab-lab"));
    QApplication::setApplicationVersion(QStringLiteral(KCL_VERSION));
    kcl::ui::installTranslator(app, cl.language);
    kcl::EngineThread engine(cl.headless.pipeline);
    kcl::ui::MainWindow window(engine.engine());
    window.show();
    engine.start();
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "stack") == 0) {
        QCoreApplication app(argc, argv);
        return kcl::runStackCommand(QCoreApplication::arguments().mid(2));
    }
    if (argc > 1 && qstrcmp(argv[1], "groups") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runGroupsCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "watch") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runWatchCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "doctor") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runDoctor(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "post") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runPostCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "search") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runSearchCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "compare") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runCompareCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    if (argc > 1 && qstrcmp(argv[1], "lab") == 0) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout), err(stderr);
        return kcl::runLabCommand(QCoreApplication::arguments().mid(2), out, err);
    }
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const kcl::app::CommandLine cl = kcl::app::parseCommandLine(args, displayAvailable());
    QTextStream out(stdout);
    QTextStream err(stderr);
    switch (cl.mode) {
    case kcl::app::CommandLine::Mode::Help:
        out << cl.message;
        return 0;
    case kcl::app::CommandLine::Mode::Version:
        out << "kafka-collab-lab " << KCL_VERSION << " (librdkafka " << rd_kafka_version_str() << ", Qt " << qVersion() << ")\n";
        return 0;
    case kcl::app::CommandLine::Mode::Error:
        err << "kafka-collab-lab: " << cl.message << "\n";
        return 2;
    case kcl::app::CommandLine::Mode::Headless: {
        QCoreApplication app(argc, argv);
        return kcl::runHeadless(cl.headless, out, err);
    }
    case kcl::app::CommandLine::Mode::Gui:
        break;
    }
    return runGui(argc, argv, cl);
}
