#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md in one run, side by side with the reference tools, and rewrites
# docs/benchmarks.md from what was measured (nothing in it is typed by hand).
#
#   tests/bench/run-benchmarks.sh [--count N] [--repeat R] [--no-real] [--no-doc] [--out-dir DIR]
#                                 [--only throughput|compare] [--compare-duration S]
#
# 1. builds kcl-bench (build dir ${KCL_BENCH_BUILD_DIR:-<repo>/build-bench}) and rdkafka_performance
#    (tests/bench/build-rdkafka-performance.sh);
# 2. embedded cluster: kcl-bench --cluster embedded (producer throughput of the backend workload and of
#    produce-only, consume throughput with rdkafka_performance -C/-G on the same topic, notification latency);
#    rdkafka_performance -P against its own mock cluster (-X test.mock.num.brokers=3), same count, the events'
#    average size and the product's producer properties; the two producers alternate run by run so both see
#    the same machine load; then the same pair once more with compression off on both sides (diagnosis row);
# 3. when a broker answers on 127.0.0.1:9092 (and not --no-real): kcl-bench --cluster 127.0.0.1:9092,
#    rdkafka_performance -b 127.0.0.1:9092 and Kafka's ProducerPerformance
#    (resources/stack/labstack.sh tool kafka-producer-perf-test) on topics of the same partition count;
# 4. when the broker, the search node (KCL_BENCH_SEARCH_URL, default http://127.0.0.1:9200) and PostgreSQL
#    (127.0.0.1:5433, the lab stack's) answer: kafka-collab-lab compare --json (CQRS write vs read, exercise 3)
#    for --compare-duration seconds (default 20) in a schema of its own;
# 5. writes the sections of docs/benchmarks.md it measured (tables: ours, the reference, ratio against the 0.9
#    goal; machine; date; the exact commands; the write-vs-read table), keeps every other section, and keeps the
#    raw JSON and logs in the out dir.
#
# Environment: KCL_BENCH_BIN (use this kcl-bench instead of building one), KCL_APP_BIN (the kafka-collab-lab
# binary for compare; default: next to the kcl-bench that is used), KCL_BENCH_BUILD_DIR,
# KCL_BENCH_REAL_BOOTSTRAP (default 127.0.0.1:9092), KCL_BENCH_SEARCH_URL.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
COUNT=1000000
REPEAT=3
REAL=1
DOC=1
OUT_DIR=""
ONLY=""
COMPARE_DURATION=20
REAL_BOOTSTRAP=${KCL_BENCH_REAL_BOOTSTRAP:-127.0.0.1:9092}
while [[ $# -gt 0 ]]; do
    case $1 in
        --count) COUNT=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --no-real) REAL=0; shift ;;
        --no-doc) DOC=0; shift ;;
        --out-dir) OUT_DIR=$2; shift 2 ;;
        --only) ONLY=$2; shift 2; [[ $ONLY == throughput || $ONLY == compare ]] || { echo "run-benchmarks.sh: --only throughput or compare" >&2; exit 2; } ;;
        --compare-duration) COMPARE_DURATION=$2; shift 2 ;;
        -h | --help) sed -n '2,33p' "$0"; exit 0 ;;
        *) echo "run-benchmarks.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
OUT_DIR=${OUT_DIR:-$REPO/build-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT_DIR"
log() { printf '[run-benchmarks] %s\n' "$*" >&2; }
CMDS="$OUT_DIR/commands.txt"
: >"$CMDS"
# Runs a command, records it (exactly as run) in commands.txt, tees its output into a log file.
run_logged() { # logfile cmd...
    local logfile=$1; shift
    printf '%q ' "$@" >>"$CMDS"; echo >>"$CMDS"
    log "running: $*"
    "$@" 2>&1 | tee -a "$logfile"
}

# ---- 1. build ------------------------------------------------------------------------------------------
if [[ -n "${KCL_BENCH_BIN:-}" ]]; then
    BENCH=$KCL_BENCH_BIN
    BENCH_BUILD="given by KCL_BENCH_BIN=$KCL_BENCH_BIN"
else
    BUILD_DIR=${KCL_BENCH_BUILD_DIR:-$REPO/build-bench}
    log "building kcl-bench in $BUILD_DIR"
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
    cmake --build "$BUILD_DIR" --target kcl-bench app -j"$(nproc)" >&2
    BENCH="$BUILD_DIR/tests/bench/kcl-bench"
    BENCH_BUILD="RelWithDebInfo, $BUILD_DIR, commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- core 2>/dev/null || echo ' + uncommitted changes in core')"
fi
APP=$(realpath -m "${KCL_APP_BIN:-$(dirname "$BENCH")/../../app/kafka-collab-lab}")
RDKPERF=""
if [[ $ONLY != compare ]]; then
    RDKPERF=$(bash "$HERE/build-rdkafka-performance.sh" | tail -n 1)
    [[ -x "$RDKPERF" ]] || { log "rdkafka_performance was not built"; exit 1; }
fi

# ---- machine ---------------------------------------------------------------------------------------------
cat >"$OUT_DIR/machine.json" <<EOF
{"nproc": $(nproc), "cpu": "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)",
 "kernel": "$(uname -r)", "os": "$(. /etc/os-release && echo "$PRETTY_NAME")",
 "librdkafka": "$(pkg-config --modversion rdkafka 2>/dev/null || echo unknown)",
 "date_utc": "$(date -u '+%Y-%m-%d %H:%M:%S UTC')", "load_before": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "bench_build": "$BENCH_BUILD", "app": "$APP (source at commit $(git -C "$REPO" rev-parse --short HEAD))", "count": $COUNT, "repeat": $REPEAT, "rdkafka_performance": "$RDKPERF"}
EOF

# Producer properties of the product (from kcl-bench's JSON) as rdkafka_performance -X options.
x_opts_from() { # json-file key(produce|consume) -> -X k=v ...
    python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
props = j["produce"]["producer_properties"] if sys.argv[2] == "produce" else j["consume"]["consumer_properties"]
print(" ".join(f"-X {k}={v}" for k, v in sorted(props.items()) if k not in ("client.id", "log_level")))
PY
}
avg_size_from() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["events"]["avg_value_bytes"]))' "$1"; }

# rdkafka_performance -P, REPEAT times; each run's result line goes to the log.
ref_produce() { # logfile args...
    local logfile=$1; shift
    run_logged "$logfile" timeout 600 "$RDKPERF" -P "$@" -q || true
}

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; } # host port
REAL_HOST=${REAL_BOOTSTRAP%%,*}

if [[ $ONLY != compare ]]; then
# ---- 2. embedded cluster ------------------------------------------------------------------------------------
EMB_JSON="$OUT_DIR/embedded.json"
run_logged "$OUT_DIR/embedded.log" "$BENCH" --cluster embedded --count "$COUNT" --repeat "$REPEAT" \
    --rdkafka-performance "$RDKPERF" --out "$EMB_JSON"
SIZE=$(avg_size_from "$EMB_JSON")
XP=$(x_opts_from "$EMB_JSON" produce)
log "reference producer: $COUNT messages of $SIZE bytes (the events' average), $XP"
# Alternate: reference, ours (produce only), so both see the same load; the figures of ours in the tables
# come from embedded.json (same code, same properties); these extra runs give a second, interleaved sample.
for ((r = 1; r <= REPEAT; r++)); do
    # shellcheck disable=SC2086
    ref_produce "$OUT_DIR/ref-produce-embedded.log" -t kcl-bench.ref -s "$SIZE" -c "$COUNT" -X test.mock.num.brokers=3 $XP
    run_logged "$OUT_DIR/embedded-produce-interleaved.log" "$BENCH" --cluster embedded --count "$COUNT" --repeat 1 \
        --only produce --out "$OUT_DIR/embedded-produce-interleaved-$r.json" >/dev/null
done
# Diagnosis row: compression off on both sides (the reference's payload is one repeated pattern, which zstd
# compresses to almost nothing; our JSON events do not).
XP_NONE=$(sed -E 's/-X compression\.(type|codec)=[a-z0-9]+//g' <<<"$XP")
for ((r = 1; r <= REPEAT; r++)); do
    # shellcheck disable=SC2086
    ref_produce "$OUT_DIR/ref-produce-embedded-nocompr.log" -t kcl-bench.ref -s "$SIZE" -c "$COUNT" -X test.mock.num.brokers=3 \
        $XP_NONE -X compression.type=none
done
run_logged "$OUT_DIR/embedded-nocompr.log" "$BENCH" --cluster embedded --count "$COUNT" --repeat "$REPEAT" --only produce \
    --producer-property compression.type=none --out "$OUT_DIR/embedded-nocompr.json" >/dev/null
# And our events in the reference's shape: one unkeyed topic of 4 partitions (what the mock cluster gives the
# reference's auto-created topic), compression off; the straight-through-librdkafka row is the one that matters.
run_logged "$OUT_DIR/embedded-refshape.log" env KCL_BENCH_RAW_ONE_TOPIC=1 "$BENCH" --cluster embedded --count "$COUNT" \
    --repeat "$REPEAT" --only produce --partitions 4 --producer-property compression.type=none \
    --out "$OUT_DIR/embedded-refshape.json" >/dev/null

# ---- 3. real broker -------------------------------------------------------------------------------------------
if [[ $REAL == 1 ]] && answers "${REAL_HOST%:*}" "${REAL_HOST##*:}"; then
    REAL_JSON="$OUT_DIR/real.json"
    run_logged "$OUT_DIR/real.log" "$BENCH" --cluster "$REAL_BOOTSTRAP" --count "$COUNT" --repeat "$REPEAT" \
        --rdkafka-performance "$RDKPERF" --out "$REAL_JSON" || true
    if [[ -f "$REAL_JSON" ]] && python3 -c 'import json,sys; sys.exit(0 if "produce" in json.load(open(sys.argv[1])) else 1)' "$REAL_JSON"; then
        XPR=$(x_opts_from "$REAL_JSON" produce)
        PARTS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["partitions"])' "$REAL_JSON")
        REF_TOPIC="kcl-bench.ref.$(date +%s)"
        run_logged "$OUT_DIR/real-topics.log" "$BENCH" --create-topic "$REF_TOPIC" --cluster "$REAL_BOOTSTRAP" --partitions "$PARTS"
        for ((r = 1; r <= REPEAT; r++)); do
            # shellcheck disable=SC2086
            ref_produce "$OUT_DIR/ref-produce-real.log" -b "$REAL_BOOTSTRAP" -t "$REF_TOPIC" -s "$SIZE" -c "$COUNT" $XPR
        done
        # Kafka's Java producer with the same acks, linger and compression as ours; batch.size as librdkafka's
        # default batch.size (1000000 bytes: our batches are bounded by batch.num.messages=10000 x ~270 B).
        JPROPS=$(python3 - "$REAL_JSON" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["produce"]["producer_properties"]
out = {"acks": p.get("acks", "all"), "linger.ms": p.get("linger.ms", "5"),
       "compression.type": p.get("compression.type", p.get("compression.codec", "none")),
       "batch.size": p.get("batch.size", "1000000")}
print(" ".join(f"{k}={v}" for k, v in out.items()))
PY
)
        LABSTACK="$REPO/resources/stack/labstack.sh"
        if [[ -f "$LABSTACK" ]]; then
            for ((r = 1; r <= REPEAT; r++)); do
                # shellcheck disable=SC2086
                run_logged "$OUT_DIR/ref-java-produce-real.log" timeout 600 bash "$LABSTACK" tool kafka-producer-perf-test \
                    --topic "$REF_TOPIC" --num-records "$COUNT" --record-size "$SIZE" --throughput -1 \
                    --producer-props bootstrap.servers="$REAL_BOOTSTRAP" $JPROPS || true
            done
        else
            log "resources/stack/labstack.sh is not there: no ProducerPerformance figure"
        fi
    fi
else
    log "no broker answers on $REAL_HOST (or --no-real): real-cluster figures skipped"
fi
fi # throughput

# ---- 4. CQRS write vs read (exercise 3) -------------------------------------------------------------------------
SEARCH_URL=${KCL_BENCH_SEARCH_URL:-http://127.0.0.1:9200}
if [[ $ONLY != throughput ]]; then
    if [[ $REAL != 1 ]]; then
        log "--no-real: the write-vs-read comparison skipped"
    elif ! answers "${REAL_HOST%:*}" "${REAL_HOST##*:}" || ! curl -s -m 3 -o /dev/null "$SEARCH_URL" || ! answers 127.0.0.1 5433; then
        log "the write-vs-read comparison needs Kafka ($REAL_HOST), the search node ($SEARCH_URL) and PostgreSQL (127.0.0.1:5433): skipped (start them: resources/stack/labstack.sh up --with search,sql)"
    elif [[ ! -x "$APP" ]]; then
        log "kafka-collab-lab not found at $APP (set KCL_APP_BIN): the write-vs-read comparison skipped"
    else
        # Recorded like the others; the JSON report is its standard output, its progress goes to compare.log.
        CMP=("$APP" compare --cluster "$REAL_BOOTSTRAP" --search-url "$SEARCH_URL" --sql-schema "kcl_bench_$(date +%s)"
             --duration "$COMPARE_DURATION" --json)
        printf '%q ' "${CMP[@]}" >>"$CMDS"; echo >>"$CMDS"
        log "running: ${CMP[*]}"
        if "${CMP[@]}" >"$OUT_DIR/compare.json" 2>"$OUT_DIR/compare.log"; then
            python3 -m json.tool "$OUT_DIR/compare.json" >&2
        else
            log "compare failed (exit $?): $(tail -n 3 "$OUT_DIR/compare.log")"
            rm -f "$OUT_DIR/compare.json"
        fi
    fi
fi
sed -i "s/\"load_before\"/\"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"load_before\"/" "$OUT_DIR/machine.json"

# ---- 5. docs/benchmarks.md --------------------------------------------------------------------------------------
if [[ $DOC == 1 ]]; then
    python3 "$HERE/write-benchmarks-doc.py" "$OUT_DIR" "$REPO/docs/benchmarks.md"
    log "updated $REPO/docs/benchmarks.md (raw figures in $OUT_DIR)"
fi
