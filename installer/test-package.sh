#!/usr/bin/env bash
# Packaging test (issue 8): builds the .deb and .tar.gz with CPack from a release build directory, installs the
# .deb with `apt-get install ./file.deb`, runs the installed `kafka-collab-lab --version`, `doctor` and one
# embedded lab headless from the installed files only (the source tree is hidden from the process where the
# machine allows a private mount namespace), checks that running it wrote nothing into the installed tree,
# removes the package and checks that nothing of it is left in system paths. Then the .tar.gz: unpacked into a
# temporary directory, it must run from there (relocatable).
#
# Usage: installer/test-package.sh [BUILD_DIR]   (default build/release; it must be configured and built)
# Needs root (or sudo) for apt-get. Exit status 0 only if every check passed; each failure is printed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build/release}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
failures=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
step() { printf '\n--- %s ---\n' "$*"; }

[ -f "$build/CMakeCache.txt" ] || { echo "test-package: $build is not a configured build directory"; exit 1; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || { echo "test-package: no project version in $build/CMakeCache.txt"; exit 1; }

step "cpack: .deb and .tar.gz of version $version"
rm -rf "$build/packages"
if ! (cd "$build" && cpack -G "DEB;TGZ" >cpack.log 2>&1); then
  tail -n 40 "$build/cpack.log"
  echo "test-package: cpack failed (full log: $build/cpack.log)"
  exit 1
fi
deb=$(ls "$build"/packages/kafka-collab-lab_"$version"-*.deb 2>/dev/null | head -n1)
tgz=$(ls "$build"/packages/kafka-collab-lab-"$version"-linux-*.tar.gz 2>/dev/null | head -n1)
[ -n "$deb" ] && pass "built $(basename "$deb") ($(du -h "$deb" | cut -f1))" || { fail "no .deb in $build/packages"; exit 1; }
[ -n "$tgz" ] && pass "built $(basename "$tgz") ($(du -h "$tgz" | cut -f1))" || fail "no .tar.gz in $build/packages"
deb=$(readlink -f "$deb")

step ".deb contents and metadata"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/kafka-collab-lab ./usr/share/applications/kafka-collab-lab.desktop \
         ./usr/share/icons/hicolor/scalable/apps/kafka-collab-lab.svg \
         ./usr/share/kafka-collab-lab/labs/02-mention-notifications.lab \
         ./usr/share/kafka-collab-lab/stack/labstack.sh ./usr/share/kafka-collab-lab/stack/pom.xml \
         ./usr/share/kafka-collab-lab/translations/kcl_ko.qm ./usr/share/kafka-collab-lab/translations/kcl_en.qm \
         ./usr/share/doc/kafka-collab-lab/copyright; do
  grep -q " $f\$" <<<"$contents" && pass "package has ${f#.}" || fail "package lacks ${f#.}"
done
grep -E " \./usr/share/kafka-collab-lab/stack/labstack.sh$" <<<"$contents" | grep -q '^-rwxr-xr-x' &&
  pass "labstack.sh is executable" || fail "labstack.sh is not installed executable"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in librdkafka1 libqt6core6 libqt6widgets6 libqt6charts6 libqt6network6 libqt6gui6 qt6-qpa-plugins; do
  grep -q "\b$p\b" <<<"$depends" && pass "depends on $p" || fail "Depends lacks $p"
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] && pass "package version $version-1" ||
  fail "package version is $(dpkg-deb -f "$deb" Version), not $version-1"
if command -v desktop-file-validate >/dev/null; then
  out=$(desktop-file-validate "$root/installer/kafka-collab-lab.desktop" 2>&1)
  [ -z "$out" ] && pass "desktop entry validates" || fail "desktop-file-validate: $out"
fi

step "apt-get install ./$(basename "$deb")"
$SUDO apt-get remove -y -qq kafka-collab-lab >/dev/null 2>&1 || true
if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >"$build/apt-install.log" 2>&1; then
  pass "installed"
else
  tail -n 20 "$build/apt-install.log"; fail "apt-get install failed"; exit 1
fi
exe=/usr/bin/kafka-collab-lab
[ -x "$exe" ] && pass "$exe is installed" || { fail "$exe is missing"; exit 1; }

# A fresh user: HOME and XDG directories in a temporary directory, so user data can be found and checked.
user=$(mktemp -d /tmp/kcl-pkg-user.XXXXXX)
export HOME="$user/home" XDG_DATA_HOME="$user/home/.local/share" XDG_CONFIG_HOME="$user/home/.config"
mkdir -p "$HOME"
unset KCL_STACK_HOME KCL_STACK_LIB KCL_STACK_SCRIPT KCL_LABS_DIR
# Runs the installed binary from /, with the source tree hidden behind an empty directory where a private mount
# namespace is allowed (root on Linux), so only the installed files can be read.
hidden=0
empty="$user/empty"; mkdir -p "$empty"
if $SUDO unshare -m true 2>/dev/null; then hidden=1; fi
installed() {
  if [ $hidden -eq 1 ]; then
    $SUDO unshare -m env HOME="$HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
      bash -c 'mount --bind "$0" "$1" && cd / && exec "$2" "${@:3}"' "$empty" "$root" "$exe" "$@"
  else
    (cd / && "$exe" "$@")
  fi
}
[ $hidden -eq 1 ] && pass "the source tree $root is hidden from the installed app" ||
  echo "note: no private mount namespace here; the source tree stays visible (the installed paths still win)"

step "kafka-collab-lab --version"
v=$(installed --version 2>&1); echo "$v"
[[ "$v" == "kafka-collab-lab $version "* ]] && pass "--version prints $version" || fail "--version printed: $v"

step "kafka-collab-lab doctor"
d=$(installed doctor 2>&1); drc=$?; echo "$d"
[ $drc -eq 0 ] && pass "doctor: everything the stack needs is here (exit 0)" || fail "doctor exited $drc"
grep -q "labstack.*/usr/share/kafka-collab-lab/stack/labstack.sh" <<<"$d" &&
  pass "doctor finds the installed labstack.sh" || fail "doctor does not use /usr/share/kafka-collab-lab/stack"
grep -q "labs.*lab file(s) in /usr/share/kafka-collab-lab/labs" <<<"$d" &&
  pass "doctor finds the installed lab files" || fail "doctor does not use /usr/share/kafka-collab-lab/labs"
grep -q "$XDG_DATA_HOME/kafka-collab-lab/stack" <<<"$d" &&
  pass "stack data and jar cache go under XDG_DATA_HOME" || fail "doctor does not put stack data under $XDG_DATA_HOME"

step "kafka-collab-lab lab --list, and one embedded lab headless from the installed files"
l=$(installed lab --list 2>&1); echo "$l"
grep -q "mention-notifications" <<<"$l" && pass "lab --list shows the installed labs" || fail "lab --list: $l"
report="$user/lab-report.md"
if installed lab mention-notifications --report "$report"; then
  pass "lab mention-notifications passed on the embedded cluster"
else
  fail "lab mention-notifications failed"
fi
[ -s "$report" ] && pass "lab report written ($(wc -l <"$report") lines)" || fail "no lab report at $report"

step "the installed tree is unchanged by running the app"
v=$($SUDO dpkg --verify kafka-collab-lab 2>&1)
[ -z "$v" ] && pass "dpkg --verify: every installed file as packaged" || fail "dpkg --verify: $v"
extra=$(comm -13 <(dpkg -L kafka-collab-lab | grep '^/usr/share/kafka-collab-lab' | sort) \
                 <(find /usr/share/kafka-collab-lab | sort))
[ -z "$extra" ] && pass "nothing new in /usr/share/kafka-collab-lab" || fail "files written into the installed tree: $extra"

step "apt-get remove --purge kafka-collab-lab"
files=$(dpkg -L kafka-collab-lab | while read -r f; do [ -d "$f" ] || echo "$f"; done)
if DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove --purge -y -qq kafka-collab-lab >"$build/apt-remove.log" 2>&1; then
  pass "removed"
else
  tail -n 20 "$build/apt-remove.log"; fail "apt-get remove failed"
fi
left=""
while read -r f; do [ -z "$f" ] || [ ! -e "$f" ] || left+="$f "; done <<<"$files"
for d in /usr/share/kafka-collab-lab /usr/share/doc/kafka-collab-lab; do [ -e "$d" ] && left+="$d "; done
[ -z "$left" ] && pass "nothing of the package is left in system paths ($(wc -l <<<"$files") files gone)" ||
  fail "left behind: $left"
dpkg-query -W -f='${Status}' kafka-collab-lab 2>/dev/null | grep -q "installed" &&
  fail "dpkg still lists kafka-collab-lab" || pass "dpkg no longer lists kafka-collab-lab"

if [ -n "$tgz" ]; then
  step ".tar.gz: unpacked anywhere, runs from there"
  unpack="$user/unpacked"; mkdir -p "$unpack"
  tar -xzf "$tgz" -C "$unpack"
  top=$(ls "$unpack" | head -n1)
  bin="$unpack/$top/bin/kafka-collab-lab"
  [ -x "$bin" ] && pass "tarball has bin/kafka-collab-lab" || fail "tarball lacks bin/kafka-collab-lab"
  tv=$("$bin" --version 2>&1)
  [[ "$tv" == "kafka-collab-lab $version "* ]] && pass "unpacked --version: $version" || fail "unpacked --version: $tv"
  KCL_DOCTOR_PORTS="" "$bin" doctor 2>&1 | grep -q "labs.*in $unpack/$top/share/kafka-collab-lab/labs" &&
    pass "the unpacked copy reads its own lab files" || fail "the unpacked copy does not read $unpack/$top/share"
fi

rm -rf "$user"
echo
if [ $failures -eq 0 ]; then echo "test-package: all checks passed"; else echo "test-package: $failures check(s) failed"; fi
[ $failures -eq 0 ]
