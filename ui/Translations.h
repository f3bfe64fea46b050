#pragma once
// Korean and English for the whole ui. The compiled catalogues (kcl_ko.qm, kcl_en.qm, from
// resources/translations/*.ts) are embedded in the ui library under :/i18n. The translator is owned by the application
// object (no global); switching installs a new one, and Qt sends QEvent::LanguageChange to every widget, which
// retranslates itself in changeEvent().
#include <QString>
#include <QStringList>

class QApplication;

namespace kcl::ui {

// language: "ko", "en", or "" to follow the system locale. Call once, before the main window is built.
void installTranslator(QApplication &app, const QString &language);

// Switches the running application to another language ("ko", "en", "" = system). Returns false when no
// catalogue exists for it (the previous language stays).
bool switchLanguage(const QString &language);

// The language in use ("ko" or "en").
QString currentLanguage();
// What the system locale asks for, as one of availableLanguages() ("ko" when Korean comes first, else "en").
QString systemLanguage();
QStringList availableLanguages();

} // namespace kcl::ui
