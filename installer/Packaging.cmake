# Install rules and CPack (.deb for Debian 12, .tar.gz) for Kafka Collab Lab. Included from the top-level
# CMakeLists.txt. From a build directory:  cpack -G DEB  /  cpack -G TGZ   (or: cmake --build . --target package)
#
# Installed layout (prefix /usr in the .deb; the .tar.gz is relocatable, the app finds <exe>/../share/...):
#   bin/kafka-collab-lab                                   (app/CMakeLists.txt)
#   share/kafka-collab-lab/stack/{labstack.sh,pom.xml,...}  the local lab stack (LabStack::locateScript)
#   share/kafka-collab-lab/labs/*.lab                       the lab files (defaultLabDirectory())
#   share/applications/kafka-collab-lab.desktop
#   share/icons/hicolor/scalable/apps/kafka-collab-lab.svg
#   share/doc/kafka-collab-lab/{README.md,copyright,*.md}
# Translations are compiled into the binary (qt_add_translations in ui/, resource :/i18n): nothing to install.
# User data (settings, archive files, the stack's data and jar cache) lives under the user's XDG directories
# (${XDG_DATA_HOME:-~/.local/share}/kafka-collab-lab), never in the installed tree.

set(KCL_PKG_NAME kafka-collab-lab)
set(KCL_SHARE_DIR share/${KCL_PKG_NAME})
set(KCL_SRC ${CMAKE_CURRENT_LIST_DIR}/..)

# The local lab stack: labstack.sh must stay executable; everything else is data.
install(DIRECTORY ${KCL_SRC}/resources/stack/ DESTINATION ${KCL_SHARE_DIR}/stack
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE
        PATTERN "*.sh" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE
        PATTERN "*~" EXCLUDE PATTERN ".*" EXCLUDE)
install(DIRECTORY ${KCL_SRC}/resources/labs/ DESTINATION ${KCL_SHARE_DIR}/labs
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        PATTERN "*~" EXCLUDE PATTERN ".*" EXCLUDE)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/kafka-collab-lab.desktop DESTINATION share/applications)
install(FILES ${KCL_SRC}/resources/icons/kafka-collab-lab.svg DESTINATION share/icons/hicolor/scalable/apps)

# Documentation, plus a Debian copyright file (Debian policy 12.5).
file(GLOB KCL_DOC_FILES ${KCL_SRC}/docs/*.md)
install(FILES ${KCL_SRC}/README.md ${KCL_DOC_FILES} DESTINATION share/doc/${KCL_PKG_NAME})
set(KCL_COPYRIGHT ${CMAKE_CURRENT_BINARY_DIR}/packaging/copyright)
file(WRITE ${KCL_COPYRIGHT}
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Kafka Collab Lab
Source: the Kafka Collab Lab project

Files: *
Copyright: the Kafka Collab Lab authors
License: see README.md
")
install(FILES ${KCL_COPYRIGHT} DESTINATION share/doc/${KCL_PKG_NAME})

# ---- CPack --------------------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME ${KCL_PKG_NAME})
set(CPACK_PACKAGE_VENDOR "Kafka Collab Lab project")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION}) # the one version: project(VERSION) -> KCL_VERSION and the packages
set(CPACK_PACKAGE_CONTACT "Kafka Collab Lab maintainers <kafka-collab-lab@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop lab bench for event streaming on Apache Kafka")
set(CPACK_PACKAGE_DESCRIPTION
"Students build, run and watch the event-streaming architecture of a Slack-like
collaboration platform on Apache Kafka: a real produce/consume pipeline with live
topic throughput, consumer lag, partition assignment and mention notifications in
charts and tables, and one-click lab scenarios that check themselves. Runs on an
embedded Kafka-protocol cluster out of the box; 'kafka-collab-lab stack up' starts
a real local Kafka (KRaft), a search node and PostgreSQL on 127.0.0.1, and
'kafka-collab-lab doctor' says what that needs. Interface in Korean and English.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY ${KCL_PKG_NAME})
set(CPACK_STRIP_FILES ON) # RelWithDebInfo builds carry debug info; the package does not
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_OUTPUT_FILE_PREFIX packages)

# .deb (Debian 12): library dependencies come from dpkg-shlibdeps (dpkg-dev); Recommends cover the local lab
# stack, which is optional (the embedded cluster needs none of it): Java 17, Maven, the PostgreSQL server
# binaries, and the tools labstack.sh calls (curl, ss from iproute2, pgrep from procps). fonts-noto-cjk draws
# the Korean interface.
set(CPACK_DEBIAN_PACKAGE_NAME ${KCL_PKG_NAME})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # kafka-collab-lab_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Not found by dpkg-shlibdeps: Qt's platform plugins (xcb for the window; loaded at run time, not linked).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "openjdk-17-jre-headless | java17-runtime-headless, maven, postgresql, curl, openssl, iproute2, procps, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# .tar.gz: kafka-collab-lab-<version>-linux-<arch>/{bin,share}; run bin/kafka-collab-lab from anywhere. (The .deb
# keeps its own DEB-DEFAULT name; CMake 3.25 has no per-generator archive file name for one-component packages.)
set(CPACK_PACKAGE_FILE_NAME ${KCL_PKG_NAME}-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR})

include(CPack)
