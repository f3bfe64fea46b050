#!/usr/bin/env bash
# Builds librdkafka's own benchmark, examples/rdkafka_performance.c, against the system librdkafka
# (Debian 12: librdkafka-dev 2.0.2-1). It is our reference for what librdkafka can do on this machine.
#
# The example is not buildable from librdkafka-dev alone: it includes ../src/rd.h and friends, which only
# the source package has. So we fetch the matching Debian source package with `apt-get source` (enabling a
# deb-src entry for the Debian mirror already configured, if there is none), and compile only that one
# program, linking the system's shared librdkafka. We do not build librdkafka itself.
#
# Idempotent: the source tree and the binary are cached in
#   ${KCL_CACHE_DIR:-$HOME/.cache/kafka-collab-lab}/rdkafka-src
# and a second run only prints the path. All progress goes to stderr; the last line of stdout is the
# path of the binary.
#
# Needs root (or sudo) only the first time, to add the deb-src entry, run apt-get update and install
# missing build tools. Environment:
#   KCL_CACHE_DIR        cache root (default ~/.cache/kafka-collab-lab)
#   KCL_RDKAFKA_SRC_VER  Debian source version (default 2.0.2-1, the one librdkafka-dev has in bookworm)
#   KCL_FORCE_REBUILD=1  rebuild the binary even if it is up to date
#   CC                   C compiler (default cc)
set -euo pipefail

SRC_VERSION="${KCL_RDKAFKA_SRC_VER:-2.0.2-1}"
UPSTREAM_VERSION="${SRC_VERSION%-*}"
CACHE_DIR="${KCL_CACHE_DIR:-$HOME/.cache/kafka-collab-lab}/rdkafka-src"
SRC_DIR="$CACHE_DIR/librdkafka-$UPSTREAM_VERSION"
BIN_DIR="$CACHE_DIR/bin"
BIN="$BIN_DIR/rdkafka_performance"
STAMP="$BIN.stamp"
CC="${CC:-cc}"
DEB_SRC_FILE=/etc/apt/sources.list.d/kcl-debian-src.sources

log() { printf '[build-rdkafka-performance] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "needs root for: $* (run as root or install sudo)"
    fi
}

apt_updated=0
apt_update() {
    if [[ $apt_updated -eq 0 ]]; then
        log "apt-get update"
        as_root apt-get update -q >&2
        apt_updated=1
    fi
}

# Installs the Debian packages given as arguments if any is missing.
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        apt_update
        log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
    fi
}

# The identity of what the binary was built from and against; a change means rebuild.
build_identity() {
    local lib
    lib=$(readlink -f "$(pkg-config --variable=libdir rdkafka)/librdkafka.so" 2>/dev/null || true)
    printf 'src=%s lib=%s libver=%s cc=%s\n' "$SRC_VERSION" "$lib" "$(pkg-config --modversion rdkafka 2>/dev/null)" \
        "$("$CC" -dumpfullversion 2>/dev/null || echo "$CC")"
}

# ---- 1. fast path: already built ----------------------------------------------------------------------
if [[ "${KCL_FORCE_REBUILD:-0}" != 1 && -x "$BIN" && -f "$STAMP" ]] && command -v pkg-config >/dev/null &&
    [[ "$(cat "$STAMP")" == "$(build_identity)" ]]; then
    log "up to date"
    echo "$BIN"
    exit 0
fi

# ---- 2. tools and the system library --------------------------------------------------------------------
ensure_packages librdkafka-dev pkg-config dpkg-dev gcc libc6-dev zlib1g-dev
sys_ver=$(pkg-config --modversion rdkafka)
if [[ "$sys_ver" != "$UPSTREAM_VERSION" ]]; then
    log "warning: system librdkafka is $sys_ver, source is $UPSTREAM_VERSION; the example may not match the library"
fi

# ---- 3. a deb-src entry for the Debian mirror in use ----------------------------------------------------
# Prints deb822 stanzas (Types: deb-src) mirroring the enabled Debian "deb" entries of the system, taken
# from both the one-line format (sources.list, *.list) and deb822 (*.sources).
debian_src_stanzas() {
    local f
    shopt -s nullglob
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        # deb [opts] URI SUITE COMPONENT...
        awk '
            $1 == "deb" && $0 ~ /debian/ {
                opts = ""; i = 2
                if ($2 ~ /^\[/) { while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } i++ } }
                uri = $i; suite = $(i + 1); comps = ""
                for (j = i + 2; j <= NF; j++) comps = comps " " $j
                signed = ""
                if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
                printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:%s\n", uri, suite, comps
                if (signed != "") printf "Signed-By: %s\n", signed
                printf "\n"
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ $f == "$DEB_SRC_FILE" ]] && continue
        # Stanzas are separated by blank lines; keep those of type deb on a Debian URI, not disabled.
        awk '
            function flush() {
                if (n > 0 && types ~ /(^|[ \t])deb([ \t]|$)/ && uris ~ /debian/ && enabled !~ /^[ \t]*no/) {
                    print "Types: deb-src"
                    for (k = 1; k <= n; k++) if (lines[k] !~ /^Types:/ && lines[k] !~ /^Enabled:/) print lines[k]
                    print ""
                }
                n = 0; types = ""; uris = ""; enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            {
                lines[++n] = $0
                if ($0 ~ /^Types:/) types = substr($0, 7)
                if ($0 ~ /^URIs:/) uris = substr($0, 6)
                if ($0 ~ /^Enabled:/) enabled = substr($0, 9)
            }
            END { flush() }' "$f"
    done
}

has_debian_deb_src() {
    local f
    shopt -s nullglob
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] && grep -Eq '^[[:space:]]*deb-src[[:space:]].*debian' "$f" && return 0
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        awk '
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { if (t && u && !off) found = 1; t = u = off = 0; next }
            /^Types:.*deb-src/ { t = 1 }
            /^URIs:.*debian/ { u = 1 }
            /^Enabled:[ \t]*no/ { off = 1 }
            END { if (t && u && !off) found = 1; exit found ? 0 : 1 }' "$f" && return 0
    done
    return 1
}

source_known() {
    apt-cache showsrc librdkafka 2>/dev/null | grep -qx "Version: $SRC_VERSION"
}

if [[ ! -f "$SRC_DIR/src/rd.h" || ! -f "$SRC_DIR/examples/rdkafka_performance.c" ]]; then
    if ! has_debian_deb_src; then
        stanzas=$(debian_src_stanzas)
        [[ -n "$stanzas" ]] || die "no Debian mirror found in /etc/apt/sources.list(.d); add a deb-src entry by hand"
        log "adding deb-src entries in $DEB_SRC_FILE"
        printf '# Added by kafka-collab-lab tests/bench/build-rdkafka-performance.sh: Debian sources for apt-get source.\n%s\n' \
            "$stanzas" | as_root tee "$DEB_SRC_FILE" >/dev/null
        apt_update
    elif ! source_known; then
        apt_update
    fi
    source_known || die "apt does not know source package librdkafka $SRC_VERSION (is a deb-src entry enabled?)"

    mkdir -p "$CACHE_DIR"
    log "apt-get source librdkafka=$SRC_VERSION into $CACHE_DIR"
    rm -rf "$SRC_DIR"
    # Run in the cache dir; as root apt warns that the download is not sandboxed (harmless).
    (cd "$CACHE_DIR" && apt-get source -q "librdkafka=$SRC_VERSION" >&2)
    [[ -f "$SRC_DIR/src/rd.h" ]] || die "apt-get source did not produce $SRC_DIR/src/rd.h"
fi

# ---- 4. build only examples/rdkafka_performance.c ------------------------------------------------------
# src/rd.h includes "../config.h", mklove's configure output. The example only uses librdkafka's public API
# plus the inline helpers of rd.h/rdposix.h/rdtime.h (rd_clock, rd_snprintf, ...), and those read just the
# few macros below, so instead of configuring the whole library we write this config.h in our build dir
# and let "../config.h" find it through an include dir one level below it. (If the source tree has a
# config.h from a ./configure run, the compiler finds that one first; that is fine too.) Should a future
# rd.h need more, the compile fails and we fall back to running the source's own ./configure.
BUILD_DIR="$CACHE_DIR/build"
mkdir -p "$BUILD_DIR/include" "$BIN_DIR"
cat >"$BUILD_DIR/config.h" <<'CONFIG_H'
/* Minimal config.h for building librdkafka's examples/rdkafka_performance.c against the system library.
 * Written by kafka-collab-lab tests/bench/build-rdkafka-performance.sh. */
#ifndef KCL_RDKAFKA_EXAMPLE_CONFIG_H
#define KCL_RDKAFKA_EXAMPLE_CONFIG_H
#define ARCH "x86_64"
#define CPU "generic"
#define WITHOUT_OPTIMIZATION 0
#define ENABLE_DEVEL 0
#define ENABLE_REFCNT_DEBUG 0
#define WITH_SYSLOG 1
#define HAVE_ATOMICS_32 1
#define HAVE_ATOMICS_32_ATOMIC 1
#define ATOMIC_OP32(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define HAVE_ATOMICS_64 1
#define HAVE_ATOMICS_64_ATOMIC 1
#define ATOMIC_OP64(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define ATOMIC_OP(OP1, OP2, PTR, VAL) __atomic_##OP1##_##OP2(PTR, VAL, __ATOMIC_SEQ_CST)
#define HAVE_STRNDUP 1
#define HAVE_STRCASESTR 1
#define HAVE_STRERROR_R 1
#define HAVE_PTHREAD_SETNAME_GNU 1
#endif
CONFIG_H
sed -i "s/^#define ARCH .*/#define ARCH \"$(uname -m)\"/" "$BUILD_DIR/config.h"

include_dir="$(pkg-config --variable=includedir rdkafka)/librdkafka"
[[ -f "$include_dir/rdkafka.h" ]] || include_dir=/usr/include/librdkafka
compile() {
    # The system's rdkafka.h comes first (it matches the library we link); rd.h and rdtime.h come from src/.
    "$CC" -O2 -g -Wall -Wno-unused-function -o "$BUILD_DIR/rdkafka_performance" \
        "$SRC_DIR/examples/rdkafka_performance.c" \
        -I"$include_dir" -I"$SRC_DIR/src" -I"$BUILD_DIR/include" \
        $(pkg-config --libs rdkafka) -lpthread -lz -lm >&2
}
log "compiling $SRC_DIR/examples/rdkafka_performance.c"
if ! compile; then
    log "minimal config.h was not enough; running the source's ./configure to generate src/../config.h"
    (cd "$SRC_DIR" && ./configure >&2) || die "./configure failed"
    compile || die "compiling rdkafka_performance failed"
fi

# It must link the system library and run: a 10-message produce against a 1-broker mock cluster (~1 s).
if command -v ldd >/dev/null 2>&1; then
    ldd "$BUILD_DIR/rdkafka_performance" | grep -q 'librdkafka\.so' || die "binary does not link librdkafka.so"
fi
log "smoke test: 10 messages to librdkafka's mock cluster"
timeout 60 "$BUILD_DIR/rdkafka_performance" -P -t kcl_smoke -s 10 -c 10 -X test.mock.num.brokers=1 >&2 ||
    die "smoke test of rdkafka_performance failed"
mv -f "$BUILD_DIR/rdkafka_performance" "$BIN"
build_identity >"$STAMP"
log "built $BIN"
echo "$BIN"
