#include "Translations.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "install/InstallPaths.h"
#include <memory>

namespace kcl::ui {
namespace {

const char *const kTranslatorName = "kcl-translator";
const char *const kQtTranslatorName = "kcl-qt-translator";
const char *const kLanguageProperty = "kclLanguage";

QString resolve(const QString &language)
{
    const QString l = language.trimmed().toLower();
    if (l.isEmpty() || l == QLatin1String("system"))
        return systemLanguage();
    if (l.startsWith(QLatin1String("ko")))
        return QStringLiteral("ko");
    if (l.startsWith(QLatin1String("en")))
        return QStringLiteral("en");
    return l;
}

void replaceTranslator(QCoreApplication *app, const char *name, QTranslator *next)
{
    if (auto *old = app->findChild<QTranslator *>(QLatin1String(name), Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    if (next) {
        next->setObjectName(QLatin1String(name));
        next->setParent(app);
        QCoreApplication::installTranslator(next);
    }
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("ko"), QStringLiteral("en")};
}

QString systemLanguage()
{
    for (const QString &ui : QLocale::system().uiLanguages()) {
        if (ui.startsWith(QLatin1String("ko"), Qt::CaseInsensitive))
            return QStringLiteral("ko");
        if (ui.startsWith(QLatin1String("en"), Qt::CaseInsensitive))
            return QStringLiteral("en");
    }
    return QStringLiteral("en");
}

QString currentLanguage()
{
    if (QCoreApplication *app = QCoreApplication::instance()) {
        const QString l = app->property(kLanguageProperty).toString();
        if (!l.isEmpty())
            return l;
    }
    return QStringLiteral("en");
}

bool switchLanguage(const QString &language)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    const QString lang = resolve(language);
    // The installed .qm files (share/kafka-collab-lab/translations, where packagers and translators expect them)
    // first; the copy compiled into the binary otherwise, so a build from the source tree speaks both languages.
    auto translator = std::make_unique<QTranslator>();
    const QString installed = installedShareDirectory();
    const bool loaded = (!installed.isEmpty()
                         && translator->load(QStringLiteral("kcl_%1").arg(lang), installed + QStringLiteral("/translations")))
                        || translator->load(QStringLiteral(":/i18n/kcl_%1.qm").arg(lang));
    if (!loaded)
        return false;
    // Qt's own strings (standard buttons, context menus), when the system has them.
    auto qtTranslator = std::make_unique<QTranslator>();
    const bool haveQt = qtTranslator->load(QLocale(lang), QStringLiteral("qtbase"), QStringLiteral("_"),
                                           QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    QLocale::setDefault(QLocale(lang == QLatin1String("ko") ? QLocale::Korean : QLocale::English,
                                lang == QLatin1String("ko") ? QLocale::SouthKorea : QLocale::UnitedStates));
    app->setProperty(kLanguageProperty, lang);
    replaceTranslator(app, kQtTranslatorName, haveQt ? qtTranslator.release() : nullptr);
    replaceTranslator(app, kTranslatorName, translator.release()); // posts LanguageChange to every window
    return true;
}

void installTranslator(QApplication &app, const QString &language)
{
    Q_UNUSED(app); // the translator is parented to the application object
    if (!switchLanguage(language))
        switchLanguage(QStringLiteral("en"));
}

} // namespace kcl::ui
