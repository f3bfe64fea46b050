#!/usr/bin/env bash
# Quick start (b): install what is missing, build, start the real local lab stack (Kafka, search node,
# PostgreSQL), run the whole test suite (release build: every label; AddressSanitizer+UBSan build: unit and
# embedded tests), build and test the
# .deb/.tar.gz packages, and stop the stack again, also when tests fail. Exit status 0 only if everything passed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
status=0
step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies"
./installer/install-deps.sh || exit 1

# ccache (installed with the test packages) keeps the two builds of this script cheap when it runs again: paths are
# taken relative to this checkout, so a fresh clone elsewhere on the same machine hits the same cache.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

step "build (release)"
cmake --preset release "${launcher[@]}" >/dev/null && cmake --build --preset release -j"$(nproc)" || exit 1

stack="$root/resources/stack/labstack.sh"
# A stack of its own for this run (data, logs; jars come from the Maven cache): no data left by earlier runs or
# by benchmarks on the same machine can change what the tests see, and the student's own stack is left alone.
export KCL_STACK_HOME="${KCL_STACK_HOME:-$root/build/labstack}"
# The jars are a cache outside the repository, shared with the student's own stack (Maven fills it once).
export KCL_STACK_LIB="${KCL_STACK_LIB:-${XDG_DATA_HOME:-$HOME/.local/share}/kafka-collab-lab/stack/lib}"
cleanup() { step "stopping the local lab stack"; bash "$stack" down || true; }
trap cleanup EXIT

step "local lab stack: 3 Kafka brokers (KRaft), search node, PostgreSQL"
if ! bash "$stack" up --brokers 3 --with search,sql; then
  echo "the local lab stack did not start; its logs:"; bash "$stack" status || true
  exit 1
fi
bash "$stack" status || true

step "tests (release build, all labels)"
# A failed test runs once more (--repeat until-pass:2): tst_services_real's poison case has failed about once in
# ten runs (the archive service short of lines; cause not found yet, see its message). A test failing twice fails.
ctest --test-dir build/release --output-on-failure --no-tests=error --timeout 900 -j1 --repeat until-pass:2 2>&1 | tee build/release/ctest.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

step "headless run of the default pipeline (embedded cluster)"
build/release/app/kafka-collab-lab --headless --duration 10 --rate 200 --report build/release/headless-report.json || status=1

# The stack is stopped before the packaging test: `doctor` from the installed package must find its ports free.
cleanup; trap - EXIT

step "packaging: .deb and .tar.gz built, installed with apt-get, run from the installed files, removed"
./installer/test-package.sh build/release 2>&1 | tee build/release/package-test.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

step "build (AddressSanitizer + UBSan)"
if cmake --preset asan "${launcher[@]}" >/dev/null && cmake --build --preset asan -j"$(nproc)"; then
  step "tests (sanitizers: unit and embedded)"
  # A test that fails on timing alone (a lab on a machine that is busy for a moment) runs once more, as in the
  # release run; a sanitizer report fails the run even when the repeat passes (the preset halts on the first).
  ctest --preset asan --no-tests=error --timeout 900 -j1 --repeat until-pass:2 2>&1 | tee build/asan/ctest.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' build/asan/ctest.log; then
    echo "a sanitizer reported an error (see build/asan/ctest.log)"; status=1
  fi
else
  status=1
fi

step "summary"
grep -h "tests passed\|tests failed" build/release/ctest.log build/asan/ctest.log 2>/dev/null || true
grep -h "^test-package:" build/release/package-test.log 2>/dev/null || true
# The long output of a failed test can push its reason out of sight; repeat the reasons here, where a reader looks.
for log in build/release/ctest.log build/asan/ctest.log; do
  [ -f "$log" ] || continue
  if grep -q '\*\*\*\(Failed\|Timeout\|Exception\)\|^FAIL!\|ERROR: AddressSanitizer\|runtime error:' "$log"; then
    echo "--- why tests failed in $log ---"
    grep -h '\*\*\*\(Failed\|Timeout\|Exception\)' "$log" || true
    grep -h -A4 '^FAIL!' "$log" | grep -v '^QWARN\|^QINFO\|^PASS' | cut -c1-300 || true
    grep -h -A12 'ERROR: AddressSanitizer\|runtime error:' "$log" | cut -c1-300 | head -80 || true
  fi
done
exit $status
