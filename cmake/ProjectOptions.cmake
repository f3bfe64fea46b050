# One INTERFACE target carries the language standard, warnings and Qt safety macros (no global flags).
option(KCL_BUILD_TESTS "Build the tests and benchmarks" ON)
option(KCL_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

add_library(kcl_project_options INTERFACE)
target_compile_features(kcl_project_options INTERFACE cxx_std_20)
target_compile_options(kcl_project_options INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
target_compile_definitions(kcl_project_options INTERFACE
  QT_NO_CONTEXTLESS_CONNECT QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING QT_NO_FOREACH
  KCL_VERSION="${PROJECT_VERSION}"
  KCL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(KCL_SANITIZE)
  target_compile_options(kcl_project_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kcl_project_options INTERFACE -fsanitize=address,undefined)
endif()
