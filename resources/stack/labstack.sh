#!/usr/bin/env bash
# Kafka Collab Lab: the local lab stack. Real Apache Kafka (KRaft, 1 or 3 combined broker+controller nodes),
# a real search node (OpenSearch via the codelibs runner) and a private PostgreSQL, all on 127.0.0.1, no Docker.
#
#   labstack.sh up [--brokers 1|3] [--with search,sql]   start what is not running yet, wait until ready
#   labstack.sh down                                     stop everything, leave no process behind
#   labstack.sh status [--json]                          component, state, pid, ports, since, health
#   labstack.sh logs NAME [-n LINES] [-f]                kafka | kafka-N | search | sql
#   labstack.sh tool NAME ARGS...                        kafka-topics | kafka-consumer-groups |
#                                                        kafka-producer-perf-test | kafka-consumer-perf-test
#   labstack.sh stop-broker N | start-broker N           broker failure labs (3-broker layout)
#   labstack.sh stop-search | start-search               the search node down and back (its indexes are kept)
#   labstack.sh resolve                                  only fetch the jars (Maven) into the cache
#   labstack.sh paths                                    print where things live
#
# Environment: KCL_STACK_HOME (cache, data, logs, pids; default
# ${XDG_DATA_HOME:-$HOME/.local/share}/kafka-collab-lab/stack), KCL_STACK_LIB (jar cache, default
# $KCL_STACK_HOME/lib), KCL_KAFKA_PORT (9092; node N uses +N-1), KCL_KAFKA_CONTROLLER_PORT (9192),
# KCL_KAFKA_SASL_PORT (9292: SASL_PLAINTEXT, PLAIN and SCRAM-SHA-256, user kcl, password kcl-secret),
# KCL_KAFKA_SSL_PORT (9392: TLS, server certificate from the stack's own CA, conf/tls/ca.pem; see 'paths'),
# KCL_SEARCH_PORT (9200), KCL_SEARCH_TRANSPORT_PORT (9300), KCL_SQL_PORT (5433), KCL_STACK_TIMEOUT (seconds
# to wait for readiness, default 180), KCL_KAFKA_HEAP (512m), KCL_SEARCH_HEAP (512m), KCL_STACK_NICE (5: the
# servers' niceness; 0 to run them at the desktop's priority), KCL_STACK_LOW_DISK_GIB (5: 'up' warns when the
# stack's disk has less free space).
#
# Exit codes: 0 ok; 1 a component failed to start / is crashed or unhealthy (status); 2 usage error;
# 3 a prerequisite is missing (Java 17, Maven, PostgreSQL); 4 a port is busy; 5 jar resolution failed;
# 6 a different layout is already running.
set -u
set -o pipefail

readonly EXIT_FAIL=1 EXIT_USAGE=2 EXIT_PREREQ=3 EXIT_PORT=4 EXIT_RESOLVE=5 EXIT_LAYOUT=6

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$SCRIPT_DIR/pom.xml"
STACK_HOME=${KCL_STACK_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/kafka-collab-lab/stack}
LIB_HOME=${KCL_STACK_LIB:-$STACK_HOME/lib}
RUN_DIR="$STACK_HOME/run"
LOG_DIR="$STACK_HOME/logs"
DATA_DIR="$STACK_HOME/data"
CONF_DIR="$STACK_HOME/conf"

KAFKA_PORT=${KCL_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KCL_KAFKA_CONTROLLER_PORT:-9192}
KAFKA_SASL_PORT=${KCL_KAFKA_SASL_PORT:-9292}
KAFKA_SSL_PORT=${KCL_KAFKA_SSL_PORT:-9392}
TLS_DIR="$CONF_DIR/tls"
# The SASL listener's lab account (PLAIN and SCRAM-SHA-256): a fixed, documented lab credential on loopback only.
readonly SASL_USER=kcl SASL_PASSWORD=kcl-secret
SEARCH_PORT=${KCL_SEARCH_PORT:-9200}
SEARCH_TRANSPORT_PORT=${KCL_SEARCH_TRANSPORT_PORT:-9300}
SQL_PORT=${KCL_SQL_PORT:-5433}
READY_TIMEOUT=${KCL_STACK_TIMEOUT:-180}
KAFKA_HEAP=${KCL_KAFKA_HEAP:-512m}
SEARCH_HEAP=${KCL_SEARCH_HEAP:-512m}
PG_OS_USER=${KCL_STACK_PG_USER:-kcl-stack}
# The servers run a little below the desktop (nice 5): on a 2-core machine the broker's JVM threads (its GC among
# them) otherwise kept the app's GUI thread waiting for a core for up to 177 ms (perf sched, docs/benchmarks.md).
# Where the kernel groups processes by session (autogroup), a task's own nice only counts inside its session, so
# the servers' sessions (setsid) get the same nice as a whole (lower_priority).
STACK_NICE=${KCL_STACK_NICE:-5}
LOW_DISK_GIB=${KCL_STACK_LOW_DISK_GIB:-5}
[[ $LOW_DISK_GIB =~ ^[0-9]+$ ]] || { echo "labstack: KCL_STACK_LOW_DISK_GIB must be a whole number of GiB, not '$LOW_DISK_GIB'" >&2; exit 2; }
[[ $STACK_NICE =~ ^[0-9]+$ ]] && (( STACK_NICE <= 19 )) || { echo "labstack: KCL_STACK_NICE must be 0 to 19, not '$STACK_NICE'" >&2; exit 2; }

pom_prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$POM" | head -n1; }
KAFKA_VERSION=$(pom_prop kafka.version)
SEARCH_VERSION=$(pom_prop opensearch.runner.version)
KAFKA_LIB="$LIB_HOME/kafka-$KAFKA_VERSION"
SEARCH_LIB="$LIB_HOME/search-$SEARCH_VERSION"
SEARCH_MAIN=org.codelibs.opensearch.runner.OpenSearchRunner

say() { printf '%s\n' "$*"; }
err() { printf 'labstack: %s\n' "$*" >&2; }
die() { local code=$1; shift; err "$*"; exit "$code"; }
now_ms() { date +%s%3N; }
secs_since() { local s=$1 e; e=$(now_ms); awk -v d=$((e - s)) 'BEGIN { printf "%.1f", d / 1000 }'; }

usage() {
    sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------------------------------------------- prereqs
JAVA=""
need_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        JAVA="$JAVA_HOME/bin/java"
    elif JAVA=$(command -v java 2>/dev/null) && [[ -n "$JAVA" ]]; then
        :
    else
        die $EXIT_PREREQ "Java 17 or newer is required, but 'java' was not found in PATH (nor in JAVA_HOME).
Install it:  sudo apt-get install openjdk-17-jdk-headless"
    fi
    local v
    v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [[ -z "$v" || "${v%%.*}" -lt 17 ]]; then
        die $EXIT_PREREQ "Java 17 or newer is required, but $JAVA is Java ${v:-unknown}.
Install it:  sudo apt-get install openjdk-17-jdk-headless"
    fi
}

need_maven() {
    command -v mvn >/dev/null 2>&1 ||
        die $EXIT_PREREQ "Maven is required to fetch the Kafka and search jars once, but 'mvn' was not found in PATH.
Install it:  sudo apt-get install maven"
}

PG_BIN=""
need_postgres() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir 2>/dev/null)/initdb" ]]; then
        PG_BIN=$(pg_config --bindir)
    else
        for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
            [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { PG_BIN=$d; break; }
        done
    fi
    [[ -n "$PG_BIN" ]] ||
        die $EXIT_PREREQ "PostgreSQL server binaries (initdb, pg_ctl) were not found.
Install them:  sudo apt-get install postgresql   (the system service is not used; the stack runs its own cluster)"
}

# Maven resolution into the cache: idempotent, skipped when the jars are there.
resolve_one() { # profile dir
    local profile=$1 dir=$2 t0
    [[ -f "$dir/.resolved" ]] && return 0
    need_maven
    t0=$(now_ms)
    say "resolving $profile jars from Maven Central into $dir (once) ..."
    mkdir -p "$dir"
    if ! (cd "$STACK_HOME" && mvn -q -B -f "$POM" -P "$profile" dependency:copy-dependencies \
            -DoutputDirectory="$dir" >"$LOG_DIR/mvn-$profile.log" 2>&1); then
        tail -n 30 "$LOG_DIR/mvn-$profile.log" >&2
        die $EXIT_RESOLVE "resolving the $profile jars failed (full log: $LOG_DIR/mvn-$profile.log)"
    fi
    date -u +%FT%TZ >"$dir/.resolved"
    say "$profile jars resolved in $(secs_since "$t0") s"
}

ensure_dirs() { mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" "$CONF_DIR" "$LIB_HOME"; }

# ---------------------------------------------------------------------------------------------------- processes
pidfile() { echo "$RUN_DIR/$1.pid"; }
read_pid() { local f; f=$(pidfile "$1"); [[ -f "$f" ]] && head -n1 "$f" | tr -dc '0-9'; }

# Alive and not a zombie (a reaped-late child still answers kill -0).
alive() {
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [[ $st != Z && $st != X ]]
}

# Is PID alive and really our component (not a recycled pid)?
is_ours() { # name pid
    local name=$1 pid=$2 cmd
    [[ -n "$pid" ]] && alive "$pid" || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    case $name in
        sql) [[ "$cmd" == *postgres* && "$cmd" == *"$(pg_data_dir)"* ]] ;;
        *) [[ "$cmd" == *"-Dkcl.stack.component=$name "* && "$cmd" == *"-Dkcl.stack.home=$STACK_HOME "* ]] ;;
    esac
}

# Live JVMs started for this stack home (their command line carries -Dkcl.stack.home=STACK_HOME).
stack_jvms() {
    local f pid
    for f in $(grep -lszx -- "-Dkcl.stack.home=$STACK_HOME" /proc/[0-9]*/cmdline 2>/dev/null); do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [[ $pid != "$$" ]] && alive "$pid" && echo "$pid"
    done
}

# running | stopped | crashed (pid file left behind by a process that died or was killed)
comp_state() {
    local name=$1 pid
    pid=$(read_pid "$name")
    if [[ -z "$pid" ]]; then
        if [[ $name == sql ]]; then pg_alive && echo running || echo stopped; return; fi
        # a JVM of ours whose pid file was lost: adopt it again
        for pid in $(stack_jvms); do
            if grep -qszx -- "-Dkcl.stack.component=$name" "/proc/$pid/cmdline"; then
                echo "$pid" >"$(pidfile "$name")"; echo running; return
            fi
        done
        echo stopped
        return
    fi
    if is_ours "$name" "$pid"; then echo running; else echo crashed; fi
}

port_owner() { # port -> "java (pid 123)" [+ what it is when it is one of ours], or empty
    local u name pid what=""
    u=$(ss -H -ltnp "sport = :$1" 2>/dev/null | grep -o 'users:(.*)' | head -n1)
    [[ -n $u ]] || return 0
    name=$(sed -n 's/^users:(("\([^"]*\)".*/\1/p' <<<"$u")
    pid=$(sed -n 's/^users:(("[^"]*",pid=\([0-9]*\).*/\1/p' <<<"$u")
    if [[ -n $pid && -r /proc/$pid/cmdline ]]; then
        local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
        [[ $cmd =~ -Dkcl\.stack\.component=([^ ]*) ]] && what=", the lab stack's ${BASH_REMATCH[1]}"
        [[ $cmd =~ -Dkcl\.stack\.home=([^ ]*) ]] && what+=" of ${BASH_REMATCH[1]}"
    fi
    echo "${name:-?} (pid ${pid:-?}$what)"
}
port_busy() { [[ -n "$(ss -H -ltn "sport = :$1" 2>/dev/null)" ]]; }

check_ports_free() { # name port...
    local name=$1 p owner; shift
    for p in "$@"; do
        if port_busy "$p"; then
            owner=$(port_owner "$p")
            die $EXIT_PORT "port $p (needed by $name) is already in use by ${owner:-another process (run: ss -ltnp 'sport = :$p')}.
Stop that process, or choose other ports (KCL_KAFKA_PORT, KCL_KAFKA_CONTROLLER_PORT, KCL_KAFKA_SASL_PORT, KCL_KAFKA_SSL_PORT, KCL_SEARCH_PORT, KCL_SEARCH_TRANSPORT_PORT, KCL_SQL_PORT)."
        fi
    done
}

wait_port() { # port timeout_s pid
    local port=$1 deadline=$(( $(date +%s) + $2 )) pid=${3:-}
    while (( $(date +%s) < deadline )); do
        port_busy "$port" && return 0
        [[ -n "$pid" ]] && ! alive "$pid" && return 2
        sleep 0.2
    done
    return 1
}

# Stop a process group: TERM, wait, then KILL.
stop_group() { # name pid grace_s
    local name=$1 pid=$2 grace=${3:-20} i
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < grace * 5; i++)); do
        alive "$pid" || break
        sleep 0.2
    done
    if alive "$pid"; then
        err "$name (pid $pid) did not stop within ${grace} s; killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
        sleep 0.3
    fi
    # anything left in the group (children)
    kill -KILL -- "-$pid" 2>/dev/null || true
}

lower_priority() { # pid: its session's autogroup runs at STACK_NICE too (see STACK_NICE); quiet where there is none
    # Only a session of its own: never the caller's session (the app, a terminal).
    [[ -n $1 && $(ps -o sid= -p "$1" 2>/dev/null | tr -d ' ') == "$1" && -w /proc/$1/autogroup ]] &&
        { echo "$STACK_NICE" >"/proc/$1/autogroup"; } 2>/dev/null
    return 0
}
record_start() { # name pid ports
    lower_priority "$2"
    echo "$2" >"$(pidfile "$1")"
    now_ms >"$RUN_DIR/$1.since"
    echo "$3" >"$RUN_DIR/$1.ports"
    rm -f "$RUN_DIR/$1.stopped" "$RUN_DIR/$1.startup"
}
clear_state() { rm -f "$(pidfile "$1")" "$RUN_DIR/$1.since" "$RUN_DIR/$1.ports" "$RUN_DIR/$1.startup"; }

# ---------------------------------------------------------------------------------------------------- kafka
min() { (( $1 < $2 )) && echo "$1" || echo "$2"; }
kafka_port() { echo $((KAFKA_PORT + $1 - 1)); }
kafka_cport() { echo $((KAFKA_CONTROLLER_PORT + $1 - 1)); }
kafka_sport() { echo $((KAFKA_SASL_PORT + $1 - 1)); }
kafka_tport() { echo $((KAFKA_SSL_PORT + $1 - 1)); }
kafka_ports() { echo "$(kafka_port "$1") $(kafka_cport "$1") $(kafka_sport "$1") $(kafka_tport "$1")"; } # node -> its ports
kafka_nodes() { local n; n=$(cat "$RUN_DIR/brokers" 2>/dev/null || echo 1); seq 1 "$n"; }
bootstrap() { local n=${1:-$(cat "$RUN_DIR/brokers" 2>/dev/null || echo 1)} i s=""; for ((i = 1; i <= n; i++)); do s+="${s:+,}127.0.0.1:$(kafka_port $i)"; done; echo "$s"; }

# ApiVersions v0 request over bash's /dev/tcp: any answer with our correlation id means the broker serves requests.
kafka_ping() {
    timeout 4 bash -c '
        exec 3<>/dev/tcp/127.0.0.1/'"$1"' || exit 1
        printf "\x00\x00\x00\x16\x00\x12\x00\x00\x00\x00\x00\x01\x00\x0ckcl-labstack" >&3
        head -c 10 <&3 | od -An -tx1 | tr -d " \n"' 2>/dev/null | grep -Eq '^[0-9a-f]{8}00000001'
}

write_log4j() {
    cat >"$CONF_DIR/kafka-log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="INFO"/>
    <Logger name="kafka.log.LogCleaner" level="INFO"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="kafka.authorizer.logger" level="WARN"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
  </Loggers>
</Configuration>
EOF
    cat >"$CONF_DIR/tools-log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="STDERR" target="SYSTEM_ERR"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console>
  </Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="STDERR"/></Root></Loggers>
</Configuration>
EOF
}

write_kafka_config() { # node brokers
    local id=$1 n=$2 voters="" i rf isr
    for ((i = 1; i <= n; i++)); do voters+="${voters:+,}$i@127.0.0.1:$(kafka_cport $i)"; done
    rf=$(min 3 "$n"); isr=$(min 2 "$n")
    mkdir -p "$DATA_DIR/kafka-${n}b/node-$id"
    cat >"$CONF_DIR/kafka-${n}b-node-$id.properties" <<EOF
# generated by labstack.sh; KRaft combined broker+controller node $id of $n
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$id"),CONTROLLER://127.0.0.1:$(kafka_cport "$id"),SASL_PLAINTEXT://127.0.0.1:$(kafka_sport "$id"),SSL://127.0.0.1:$(kafka_tport "$id")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$id"),SASL_PLAINTEXT://127.0.0.1:$(kafka_sport "$id"),SSL://127.0.0.1:$(kafka_tport "$id")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL
# A TLS listener for the TLS labs and tests: the key and certificate (for IP 127.0.0.1 and localhost) in one PEM
# file, signed by the stack's own CA (clients verify with $TLS_DIR/ca.pem); no client certificate asked for.
listener.name.ssl.ssl.keystore.type=PEM
listener.name.ssl.ssl.keystore.location=$TLS_DIR/broker-keystore.pem
listener.name.ssl.ssl.client.auth=none
# A SASL listener for the security labs and tests: PLAIN (user in the JAAS line) and SCRAM-SHA-256 (credential
# written into the metadata log at format time, --add-scram).
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$SASL_USER" password="$SASL_PASSWORD" user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=$DATA_DIR/kafka-${n}b/node-$id
num.partitions=6
default.replication.factor=$rf
min.insync.replicas=$isr
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
num.network.threads=3
num.io.threads=4
log.retention.hours=168
log.segment.bytes=268435456
log.cleaner.enable=true
# The compaction lab: an idle cleaner looks for dirty logs every second instead of every 15 s.
log.cleaner.backoff.ms=1000
EOF
}

kafka_java_opts() { # name
    echo "-Xms256m -Xmx$KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
          -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true -Dlog4j2.configurationFile=$CONF_DIR/kafka-log4j2.xml
          -Dkafka.logs.dir=$LOG_DIR -Dkcl.stack.component=$1 -Dkcl.stack.home=$STACK_HOME"
}

format_kafka() { # brokers: format every node's storage once (same cluster id), in parallel
    local n=$1 i cid pids=() rc=0 t0
    local dir="$DATA_DIR/kafka-${n}b"
    local need=0
    for ((i = 1; i <= n; i++)); do [[ -f "$dir/node-$i/meta.properties" ]] || need=1; done
    (( need )) || return 0
    t0=$(now_ms)
    [[ -f "$dir/cluster.id" ]] && cid=$(cat "$dir/cluster.id")
    # A cluster id is 16 random bytes in URL-safe base64. One that starts with '-' reads as an option to the storage
    # tool (one id in 64; a run with such an id could never format), so draw again.
    while [[ -z ${cid:-} || $cid == -* ]]; do
        cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        mkdir -p "$dir"; echo "$cid" >"$dir/cluster.id"
    done
    for ((i = 1; i <= n; i++)); do
        [[ -f "$dir/node-$i/meta.properties" ]] && continue
        # shellcheck disable=SC2046
        "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$CONF_DIR/tools-log4j2.xml" -cp "$KAFKA_LIB/*" kafka.tools.StorageTool \
            format -t "$cid" -c "$CONF_DIR/kafka-${n}b-node-$i.properties" --ignore-formatted \
            --add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$SASL_PASSWORD]" \
            >"$LOG_DIR/kafka-$i-format.log" 2>&1 &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || rc=1; done
    if (( rc )); then
        cat "$LOG_DIR"/kafka-*-format.log >&2
        die $EXIT_FAIL "formatting the Kafka storage failed (logs: $LOG_DIR/kafka-N-format.log)"
    fi
    say "kafka storage formatted in $(secs_since "$t0") s (cluster id $cid)"
}

# The stack's own CA and the brokers' certificate, made once (kept across up/down; delete conf/tls to renew).
ensure_tls() {
    [[ -s "$TLS_DIR/ca.pem" && -s "$TLS_DIR/broker-keystore.pem" ]] && return 0
    command -v openssl >/dev/null 2>&1 ||
        die $EXIT_PREREQ "openssl was not found (the TLS listener's certificates are made with it). Install it:  sudo apt-get install openssl"
    mkdir -p "$TLS_DIR"
    local ext="$TLS_DIR/broker.ext"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$ext"
    if ! { openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" -days 3650 \
               -subj "/CN=Kafka Collab Lab local CA" &&
           openssl req -newkey rsa:2048 -nodes -keyout "$TLS_DIR/broker.key" -out "$TLS_DIR/broker.csr" -subj "/CN=127.0.0.1" &&
           openssl x509 -req -in "$TLS_DIR/broker.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
               -out "$TLS_DIR/broker.pem" -days 825 -extfile "$ext"; } >"$LOG_DIR/tls.log" 2>&1; then
        cat "$LOG_DIR/tls.log" >&2
        rm -f "$TLS_DIR/ca.pem" "$TLS_DIR/broker-keystore.pem"
        die $EXIT_FAIL "making the TLS listener's certificates failed (log: $LOG_DIR/tls.log)"
    fi
    cat "$TLS_DIR/broker.key" "$TLS_DIR/broker.pem" >"$TLS_DIR/broker-keystore.pem"
    chmod 600 "$TLS_DIR/ca.key" "$TLS_DIR/broker.key" "$TLS_DIR/broker-keystore.pem"
}

launch_kafka_node() { # node brokers
    local id=$1 n=$2 name="kafka-$1" pid
    # shellcheck disable=SC2046
    setsid nice -n "$STACK_NICE" "$JAVA" $(kafka_java_opts "$name") -cp "$KAFKA_LIB/*" kafka.Kafka "$CONF_DIR/kafka-${n}b-node-$id.properties" \
        >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
    pid=$!
    record_start "$name" "$pid" "$(kafka_ports "$id" | tr ' ' ',')"
}

wait_kafka_node() { # node deadline_epoch -> 0 ready
    local id=$1 deadline=$2 name="kafka-$1" pid
    pid=$(read_pid "$name")
    while (( $(date +%s) < deadline )); do
        if ! alive "$pid"; then
            tail -n 20 "$LOG_DIR/$name.log" >&2
            err "$name exited during start-up (full log: $LOG_DIR/$name.log, or: labstack.sh logs $name)"
            return 1
        fi
        kafka_ping "$(kafka_port "$id")" && return 0
        sleep 0.3
    done
    tail -n 20 "$LOG_DIR/$name.log" >&2
    err "$name did not answer on 127.0.0.1:$(kafka_port "$id") within $READY_TIMEOUT s (log: $LOG_DIR/$name.log)"
    return 1
}

# One readiness probe each (for the parallel wait loop): prints ready | dead | wait.
check_kafka_node() { # node
    local name="kafka-$1" pid
    pid=$(read_pid "$name")
    if ! alive "$pid"; then
        tail -n 20 "$LOG_DIR/$name.log" >&2
        err "$name exited during start-up (full log: $LOG_DIR/$name.log, or: labstack.sh logs $name)"
        echo dead; return
    fi
    kafka_ping "$(kafka_port "$1")" && echo ready || echo wait
}
check_search() {
    local pid h
    pid=$(read_pid search)
    if ! alive "$pid"; then
        tail -n 20 "$LOG_DIR/search.log" >&2
        err "search exited during start-up (log: $LOG_DIR/search.log, or: labstack.sh logs search)"
        echo dead; return
    fi
    h=$(search_health)
    [[ $h == green || $h == yellow ]] && echo ready || echo wait
}
check_sql() {
    local root data pid=""
    root=$(pg_root); data="$root/data"
    if [[ -f "$data/postmaster.pid" ]]; then
        pid=$(head -n1 "$data/postmaster.pid" | tr -dc '0-9')
        [[ -n "$pid" ]] && echo "$pid" >"$(pidfile sql)"
    fi
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SQL_PORT" -t 1 >/dev/null 2>&1; then
        if [[ -f "$root/.needs-bootstrap" ]]; then
            if ! as_pg "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$(pg_sock_dir)" -p "$SQL_PORT" -U postgres -d postgres \
                    -c "CREATE ROLE kcl LOGIN PASSWORD 'kcl' CREATEDB" -c "CREATE DATABASE kcl OWNER kcl" \
                    >"$LOG_DIR/sql-bootstrap.log" 2>&1; then
                cat "$LOG_DIR/sql-bootstrap.log" >&2; err "creating role/database kcl failed"; echo dead; return
            fi
            rm -f "$root/.needs-bootstrap"
        fi
        echo ready; return
    fi
    if [[ -n "$pid" ]] && ! alive "$pid"; then
        tail -n 20 "$(pg_log)" >&2; err "PostgreSQL exited during start-up (log: $(pg_log), or: labstack.sh logs sql)"
        echo dead; return
    fi
    echo wait
}

# A real metadata answer through Kafka's own admin client (the topics tool), listing all brokers.
kafka_metadata_ok() { # brokers
    local n=$1 out
    out=$(run_tool_capture kafka-broker-api-versions --bootstrap-server "$(bootstrap "$n")" 2>&1) || { echo "$out" >&2; return 1; }
    local seen
    seen=$(grep -c '^127\.0\.0\.1:[0-9]* (id: [0-9]*' <<<"$out")
    (( seen >= n ))
}

# ---------------------------------------------------------------------------------------------------- search
search_health() { # -> green|yellow|red|""
    curl -s -m 3 "http://127.0.0.1:$SEARCH_PORT/_cluster/health" 2>/dev/null |
        sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

launch_search() {
    local base="$DATA_DIR/search" pid
    mkdir -p "$base/node_1/config"
    cat >"$base/node_1/config/opensearch.yml" <<EOF
# generated by labstack.sh
cluster.name: kcl-lab
network.host: 127.0.0.1
http.port: $SEARCH_PORT
transport.port: $SEARCH_TRANSPORT_PORT
discovery.type: single-node
action.auto_create_index: true
# A lab node on a shared disk: OpenSearch's disk watermarks (high 90 %, flood stage 95 % of the whole filesystem)
# would block creating indices and make them read-only mid-lab; the stack warns about low space itself instead.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
    # The runner numbers HTTP ports from baseHttpPort + 1.
    setsid nice -n "$STACK_NICE" "$JAVA" -Xms"$SEARCH_HEAP" -Xmx"$SEARCH_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
        -Dkcl.stack.component=search -Dkcl.stack.home="$STACK_HOME" \
        -cp "$SEARCH_LIB/*" $SEARCH_MAIN -basePath "$base" -numOfNode 1 \
        -baseHttpPort $((SEARCH_PORT - 1)) -clusterName kcl-lab \
        >>"$LOG_DIR/search.log" 2>&1 </dev/null &
    pid=$!
    record_start search "$pid" "$SEARCH_PORT,$SEARCH_TRANSPORT_PORT"
}

# Blocks an older node wrote before the watermarks were switched off (OpenSearch persists the create-index block and
# the indices' read-only-allow-delete block); with the watermarks off nothing would ever release them.
release_search_blocks() {
    local url="http://127.0.0.1:$SEARCH_PORT" settings
    settings=$(curl -s -m 5 "$url/_cluster/settings?flat_settings=true" 2>/dev/null) || return 0
    if grep -q '"cluster.blocks.create_index":"true"' <<<"$settings"; then
        curl -s -m 5 -XPUT -H 'Content-Type: application/json' "$url/_cluster/settings" \
            -d '{"persistent":{"cluster.blocks.create_index":null},"transient":{"cluster.blocks.create_index":null}}' >/dev/null &&
            say "search: released the create-index block the node had set when its disk passed the high watermark"
    fi
    if curl -s -m 5 "$url/_all/_settings/index.blocks.read_only_allow_delete?flat_settings=true" 2>/dev/null |
        grep -q '"index.blocks.read_only_allow_delete":"true"'; then
        curl -s -m 5 -XPUT -H 'Content-Type: application/json' "$url/_all/_settings" \
            -d '{"index.blocks.read_only_allow_delete":null}' >/dev/null &&
            say "search: made the indices writable again (the node had made them read-only at the flood-stage watermark)"
    fi
    return 0
}

# The stack's data (Kafka's logs, the search node's indices, PostgreSQL) grows during labs; say so before it is full.
warn_low_disk() {
    local avail_kib
    avail_kib=$(df -Pk "$STACK_HOME" 2>/dev/null | awk 'NR == 2 {print $4}')
    [[ -n "$avail_kib" ]] || return 0
    if (( avail_kib < LOW_DISK_GIB * 1024 * 1024 )); then
        err "warning: only $(( avail_kib / 1024 / 1024 )) GiB free on the disk of $STACK_HOME (under $LOW_DISK_GIB GiB): brokers and the search node fail when it fills up; free space or set KCL_STACK_HOME to a larger disk"
    fi
    return 0
}


# ---------------------------------------------------------------------------------------------------- postgresql
as_pg() { # run a command as the unprivileged PostgreSQL owner
    if (( EUID == 0 )); then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

# PostgreSQL refuses to run as root: as root we use a system user (kcl-stack). Its data directory must be reachable
# by that user; when STACK_HOME is not (e.g. under /root, mode 700) it lives under /var/lib/kafka-collab-lab.
pg_root() {
    if (( EUID != 0 )); then echo "$DATA_DIR/pgsql"; return; fi
    if [[ -f "$RUN_DIR/pg_root" ]]; then cat "$RUN_DIR/pg_root"; return; fi
    local r="$DATA_DIR/pgsql"
    if id "$PG_OS_USER" >/dev/null 2>&1 && ! runuser -u "$PG_OS_USER" -- test -x "$DATA_DIR" 2>/dev/null; then
        r="/var/lib/kafka-collab-lab/pgsql-$(printf '%s' "$STACK_HOME" | md5sum | cut -c1-12)"
    fi
    echo "$r"
}
pg_data_dir() { echo "$(pg_root)/data"; }
pg_sock_dir() { echo "$(pg_root)/run"; }
pg_log() { echo "$(pg_root)/postgresql.log"; }
pg_alive() {
    local f pid
    f="$(pg_data_dir)/postmaster.pid"
    [[ -f "$f" ]] || return 1
    pid=$(head -n1 "$f" | tr -dc '0-9')
    [[ -n "$pid" ]] && alive "$pid"
}
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SQL_PORT" -d kcl -U kcl -t 2 >/dev/null 2>&1; }

ensure_pg_user() {
    (( EUID == 0 )) || return 0
    if ! id "$PG_OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" ||
            die $EXIT_PREREQ "could not create the system user $PG_OS_USER that runs PostgreSQL (PostgreSQL refuses root)"
        say "created system user $PG_OS_USER (PostgreSQL refuses to run as root)"
    fi
}

init_pg() {
    local root data t0
    ensure_pg_user
    rm -f "$RUN_DIR/pg_root"
    root=$(pg_root); data="$root/data"
    echo "$root" >"$RUN_DIR/pg_root"
    mkdir -p "$root/run"
    (( EUID == 0 )) && chown -R "$PG_OS_USER": "$root"
    chmod 700 "$root"
    [[ -f "$data/PG_VERSION" ]] && return 0
    t0=$(now_ms)
    local pw="$root/.pwfile"
    echo kcl-stack >"$pw"; (( EUID == 0 )) && chown "$PG_OS_USER": "$pw"; chmod 600 "$pw"
    if ! as_pg "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$LOG_DIR/sql-initdb.log" 2>&1; then
        cat "$LOG_DIR/sql-initdb.log" >&2
        die $EXIT_FAIL "initdb failed (log: $LOG_DIR/sql-initdb.log)"
    fi
    touch "$root/.needs-bootstrap"
    (( EUID == 0 )) && chown "$PG_OS_USER": "$root/.needs-bootstrap"
    say "sql: initdb done in $(secs_since "$t0") s ($data)"
}

launch_sql() {
    local root data
    root=$(pg_root); data="$root/data"
    ln -sfn "$(pg_log)" "$LOG_DIR/sql.log"
    # pg_ctl handles a stale postmaster.pid from a killed run itself.
    as_pg nice -n "$STACK_NICE" "$PG_BIN/pg_ctl" -D "$data" -l "$(pg_log)" -W \
        -o "-p $SQL_PORT -k $(pg_sock_dir) -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=64MB" \
        start >"$LOG_DIR/sql-pg_ctl.log" 2>&1 ||
        { cat "$LOG_DIR/sql-pg_ctl.log" >&2; die $EXIT_FAIL "pg_ctl start failed (log: $(pg_log))"; }
    now_ms >"$RUN_DIR/sql.since"; echo "$SQL_PORT" >"$RUN_DIR/sql.ports"; rm -f "$RUN_DIR/sql.stopped" "$RUN_DIR/sql.startup"
}


# After a postmaster died hard: its backends may live on (reparented; every one has the data directory as its working
# directory) and its postmaster.pid may name a pid that still exists as an unreaped zombie, which makes the next
# postmaster refuse to start. Kill the leftovers of this data directory only, then drop the stale lock file.
clear_pg_leftovers() {
    local data pid p d killed=()
    data=$(pg_data_dir)
    [[ -f "$data/postmaster.pid" ]] || return 0
    pid=$(head -n1 "$data/postmaster.pid" | tr -dc '0-9')
    alive "$pid" && return 0 # a live postmaster: not ours to touch
    for p in /proc/[0-9]*; do
        d=$(readlink "$p/cwd" 2>/dev/null) || continue
        [[ $d == "$data" ]] && alive "${p#/proc/}" && kill -KILL "${p#/proc/}" 2>/dev/null && killed+=("${p#/proc/}")
    done
    # SIGKILL is not instant: a backend still exiting keeps the shared memory attached, and the next postmaster
    # would refuse to start ("pre-existing shared memory block is still in use").
    local i k left
    for ((i = 0; i < 50; i++)); do
        left=0
        for k in "${killed[@]}"; do alive "$k" && left=1; done
        (( left )) || break
        sleep 0.1
    done
    rm -f "$data/postmaster.pid"
    # The socket's lock file names the dead postmaster too.
    local lock lpid
    for lock in "$(pg_sock_dir)"/.s.PGSQL.*.lock; do
        [[ -f $lock ]] || continue
        lpid=$(head -n1 "$lock" | tr -dc '0-9')
        alive "$lpid" || rm -f "$lock" "${lock%.lock}"
    done
    say "sql: removed the stale postmaster.pid and socket lock of pid $pid and any backends it left behind"
}

stop_sql() {
    local data pid
    data=$(pg_data_dir)
    if pg_alive; then
        pid=$(head -n1 "$data/postmaster.pid" | tr -dc '0-9')
        need_postgres
        as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
        # pg_ctl returns when postmaster.pid is gone; the process itself may need a moment more.
        local i
        for ((i = 0; i < 25; i++)); do alive "$pid" || break; sleep 0.2; done
        if alive "$pid"; then
            err "PostgreSQL (pid $pid) did not stop; killing it and its children"
            local c
            for c in $(pgrep -P "$pid" 2>/dev/null); do kill -KILL "$c" 2>/dev/null; done
            kill -KILL "$pid" 2>/dev/null
        fi
        say "sql stopped"
    fi
    clear_state sql
}

# ---------------------------------------------------------------------------------------------------- tools
tool_class() {
    case $1 in
        kafka-topics) echo org.apache.kafka.tools.TopicCommand ;;
        kafka-consumer-groups) echo org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
        kafka-producer-perf-test) echo org.apache.kafka.tools.ProducerPerformance ;;
        kafka-consumer-perf-test) echo org.apache.kafka.tools.ConsumerPerformance ;;
        kafka-broker-api-versions) echo org.apache.kafka.tools.BrokerApiVersionsCommand ;;
        kafka-configs) echo kafka.admin.ConfigCommand ;;
        kafka-metadata-quorum) echo org.apache.kafka.tools.MetadataQuorumCommand ;;
        kafka-get-offsets) echo org.apache.kafka.tools.GetOffsetShell ;;
        kafka-console-producer) echo org.apache.kafka.tools.ConsoleProducer ;;
        kafka-console-consumer) echo org.apache.kafka.tools.consumer.ConsoleConsumer ;;
        kafka-storage) echo kafka.tools.StorageTool ;;
        *) return 1 ;;
    esac
}

tool_args() { # name args... -> prints args (NUL-separated), prepending --bootstrap-server when the tool takes it and none was given
    local name=$1; shift
    local a has=0
    for a in "$@"; do [[ $a == --bootstrap-server || $a == --bootstrap-server=* || $a == --bootstrap-controller ]] && has=1; done
    if (( ! has )); then
        case $name in
            kafka-topics | kafka-consumer-groups | kafka-consumer-perf-test | kafka-broker-api-versions | kafka-configs | \
                kafka-metadata-quorum | kafka-get-offsets | kafka-console-producer | kafka-console-consumer)
                printf '%s\0' --bootstrap-server "$(bootstrap)" ;;
        esac
    fi
    (( $# > 0 )) && printf '%s\0' "$@"
}

run_tool_capture() { # like cmd_tool but without exec (used internally)
    local name=$1; shift
    local cls; cls=$(tool_class "$name") || return 2
    "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$CONF_DIR/tools-log4j2.xml" \
        -cp "$KAFKA_LIB/*" "$cls" "$@"
}

cmd_tool() {
    [[ $# -ge 1 ]] || die $EXIT_USAGE "usage: labstack.sh tool NAME ARGS...  (NAME: kafka-topics, kafka-consumer-groups, kafka-producer-perf-test, kafka-consumer-perf-test, kafka-broker-api-versions, kafka-configs, kafka-metadata-quorum, kafka-get-offsets, kafka-console-producer, kafka-console-consumer)"
    local name=$1 cls; shift
    cls=$(tool_class "$name") || die $EXIT_USAGE "unknown tool '$name' (known: kafka-topics, kafka-consumer-groups, kafka-producer-perf-test, kafka-consumer-perf-test, kafka-broker-api-versions, kafka-configs, kafka-metadata-quorum, kafka-get-offsets, kafka-console-producer, kafka-console-consumer)"
    need_java
    ensure_dirs; write_log4j
    resolve_one kafka "$KAFKA_LIB"
    local args=()
    mapfile -d '' args < <(tool_args "$name" "$@")
    local heap=-Xmx512m
    exec "$JAVA" $heap -Dlog4j2.configurationFile="$CONF_DIR/tools-log4j2.xml" -cp "$KAFKA_LIB/*" "$cls" "${args[@]}"
}

# ---------------------------------------------------------------------------------------------------- up
cmd_up() {
    local brokers="" with="" a
    while [[ $# -gt 0 ]]; do
        case $1 in
            --brokers) brokers=${2:-}; shift 2 || die $EXIT_USAGE "--brokers needs 1 or 3" ;;
            --brokers=*) brokers=${1#*=}; shift ;;
            --with) with=${2:-}; shift 2 || die $EXIT_USAGE "--with needs a list, e.g. search,sql" ;;
            --with=*) with=${1#*=}; shift ;;
            *) die $EXIT_USAGE "up: unknown option '$1' (usage: up [--brokers 1|3] [--with search,sql])" ;;
        esac
    done
    [[ -z "$brokers" ]] && brokers=$(cat "$RUN_DIR/brokers" 2>/dev/null || echo 1)
    [[ $brokers == 1 || $brokers == 3 ]] || die $EXIT_USAGE "--brokers must be 1 or 3 (got '$brokers')"
    local want_search=0 want_sql=0
    IFS=',' read -r -a items <<<"$with"
    for a in "${items[@]:-}"; do
        case $a in
            search) want_search=1 ;;
            sql) want_sql=1 ;;
            "") ;;
            *) die $EXIT_USAGE "--with: unknown component '$a' (known: search, sql)" ;;
        esac
    done

    need_java
    (( want_sql )) && need_postgres
    ensure_dirs

    # A different Kafka layout already running?
    local running_layout="" i
    if [[ -f "$RUN_DIR/brokers" ]]; then
        running_layout=$(cat "$RUN_DIR/brokers")
        local any=0
        for ((i = 1; i <= running_layout; i++)); do [[ $(comp_state "kafka-$i") == running ]] && any=1; done
        if (( any )) && [[ $running_layout != "$brokers" ]]; then
            die $EXIT_LAYOUT "Kafka runs with $running_layout broker(s); run 'labstack.sh down' before 'up --brokers $brokers'"
        fi
    fi
    echo "$brokers" >"$RUN_DIR/brokers"

    # What must be started? Recover stale pid files (killed run) on the way.
    local start_kafka=() start_search=0 start_sql=0 st
    for ((i = 1; i <= brokers; i++)); do
        st=$(comp_state "kafka-$i")
        case $st in
            running) say "kafka-$i already running (pid $(read_pid "kafka-$i"), 127.0.0.1:$(kafka_port $i))" ;;
            crashed) say "kafka-$i: stale pid file from a run that died (pid $(read_pid "kafka-$i")); recovering"; clear_state "kafka-$i"; start_kafka+=("$i") ;;
            *) start_kafka+=("$i") ;;
        esac
    done
    if (( want_search )); then
        st=$(comp_state search)
        case $st in
            running) say "search already running (pid $(read_pid search), http://127.0.0.1:$SEARCH_PORT)" ;;
            crashed) say "search: stale pid file from a run that died; recovering"; clear_state search; start_search=1 ;;
            *) start_search=1 ;;
        esac
    fi
    if (( want_sql )); then
        st=$(comp_state sql)
        case $st in
            running) say "sql already running (pid $(read_pid sql), 127.0.0.1:$SQL_PORT)" ;;
            crashed) say "sql: stale pid file from a run that died; recovering"; clear_pg_leftovers; clear_state sql; start_sql=1 ;;
            *) start_sql=1 ;;
        esac
    fi

    # Ports first: fail fast with a clear message, before anything is started.
    # shellcheck disable=SC2046
    for i in "${start_kafka[@]:-}"; do [[ -n $i ]] && check_ports_free "kafka-$i" $(kafka_ports "$i"); done
    # The codelibs runner hands out HTTP ports from -baseHttpPort up to a fixed 9299 and exits silently above it.
    (( start_search )) && (( SEARCH_PORT < 1024 || SEARCH_PORT > 9299 )) &&
        die $EXIT_USAGE "KCL_SEARCH_PORT=$SEARCH_PORT: the search node's HTTP port must be from 1024 to 9299 (the OpenSearch runner gives out no HTTP port above 9299)"
    (( start_search )) && check_ports_free search "$SEARCH_PORT" "$SEARCH_TRANSPORT_PORT"
    (( start_sql )) && check_ports_free sql "$SQL_PORT"

    warn_low_disk
    local t_total; t_total=$(now_ms)
    [[ ${#start_kafka[@]} -gt 0 && -n "${start_kafka[0]:-}" ]] && resolve_one kafka "$KAFKA_LIB"
    (( start_search )) && resolve_one search "$SEARCH_LIB"
    write_log4j

    local t_kafka t_search t_sql rc=0
    # Launch everything, then wait for each (the nodes of a 3-voter quorum must start together).
    if [[ -n "${start_kafka[0]:-}" ]]; then
        ensure_tls
        for ((i = 1; i <= brokers; i++)); do write_kafka_config "$i" "$brokers"; done
        t_kafka=$(now_ms)
        format_kafka "$brokers"
        for i in "${start_kafka[@]}"; do launch_kafka_node "$i" "$brokers"; done
    fi
    if (( start_search )); then t_search=$(now_ms); launch_search; fi
    if (( start_sql )); then t_sql=$(now_ms); init_pg; launch_sql; fi

    # Wait for all of them in parallel (one polling loop), so each start-up time is the component's own.
    local deadline=$(( $(date +%s) + READY_TIMEOUT ))
    local -A pending=()
    for i in "${start_kafka[@]:-}"; do [[ -n $i ]] && pending["kafka-$i"]=1; done
    [[ -n "${start_kafka[0]:-}" ]] && pending[kafka-metadata]=1
    (( start_search )) && pending[search]=1
    (( start_sql )) && pending[sql]=1
    local c t
    while (( ${#pending[@]} > 0 )); do
        if (( $(date +%s) >= deadline )); then
            for c in "${!pending[@]}"; do
                case $c in
                    kafka-metadata) cat "$LOG_DIR/kafka-metadata-check.log" >&2 2>/dev/null
                        err "kafka nodes answer, but no metadata listing all $brokers broker(s) within $READY_TIMEOUT s (logs: labstack.sh logs kafka-N)" ;;
                    kafka-*) tail -n 20 "$LOG_DIR/$c.log" >&2
                        err "$c did not answer on 127.0.0.1:$(kafka_port "${c#kafka-}") within $READY_TIMEOUT s (log: $LOG_DIR/$c.log)" ;;
                    search) tail -n 20 "$LOG_DIR/search.log" >&2
                        err "search did not report health yellow/green on http://127.0.0.1:$SEARCH_PORT within $READY_TIMEOUT s (log: $LOG_DIR/search.log)" ;;
                    sql) tail -n 20 "$(pg_log)" >&2
                        err "PostgreSQL did not accept connections on 127.0.0.1:$SQL_PORT within $READY_TIMEOUT s (log: $(pg_log))" ;;
                esac
            done
            rc=$EXIT_FAIL; break
        fi
        for c in "${!pending[@]}"; do
            case $c in
                kafka-metadata)
                    local nodes_left=0
                    for i in "${start_kafka[@]}"; do [[ -n "${pending[kafka-$i]:-}" ]] && nodes_left=1; done
                    (( nodes_left )) && continue
                    if kafka_metadata_ok "$brokers" 2>"$LOG_DIR/kafka-metadata-check.log"; then
                        unset 'pending[kafka-metadata]'
                        t=$(secs_since "$t_kafka")
                        for i in "${start_kafka[@]}"; do echo "$t" >"$RUN_DIR/kafka-$i.startup"; done
                        say "kafka ready in $t s ($brokers broker(s), bootstrap $(bootstrap "$brokers"), Kafka $KAFKA_VERSION)"
                    fi ;;
                kafka-*)
                    case $(check_kafka_node "${c#kafka-}") in
                        ready) unset "pending[$c]" ;;
                        dead) unset "pending[$c]"; unset 'pending[kafka-metadata]'; rc=$EXIT_FAIL ;;
                    esac ;;
                search)
                    case $(check_search) in
                        ready) unset 'pending[search]'; t=$(secs_since "$t_search"); echo "$t" >"$RUN_DIR/search.startup"
                            say "search ready in $t s (OpenSearch ${SEARCH_VERSION%.*}, http://127.0.0.1:$SEARCH_PORT, health $(search_health))"
                            release_search_blocks ;;
                        dead) unset 'pending[search]'; rc=$EXIT_FAIL ;;
                    esac ;;
                sql)
                    case $(check_sql) in
                        ready) unset 'pending[sql]'; t=$(secs_since "$t_sql"); echo "$t" >"$RUN_DIR/sql.startup"
                            lower_priority "$(head -n1 "$(pg_data_dir)/postmaster.pid" 2>/dev/null | tr -dc '0-9')"
                            say "sql ready in $t s (PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), host=127.0.0.1 port=$SQL_PORT dbname=kcl user=kcl password=kcl)" ;;
                        dead) unset 'pending[sql]'; rc=$EXIT_FAIL ;;
                    esac ;;
            esac
        done
        (( ${#pending[@]} > 0 )) && sleep 0.25
    done
    if (( rc == 0 )); then
        if [[ -z "${start_kafka[0]:-}" ]] && (( !start_search && !start_sql )); then
            say "stack already up; nothing to start"
        else
            say "stack ready in $(secs_since "$t_total") s"
        fi
    else
        err "the stack did not come up completely; 'labstack.sh status' shows what runs, 'labstack.sh down' stops it"
    fi
    return $rc
}

# ---------------------------------------------------------------------------------------------------- down
cmd_down() {
    local names=() n pid any=0
    [[ -d "$RUN_DIR" ]] || { say "nothing is running (no stack at $STACK_HOME)"; return 0; }
    for f in "$RUN_DIR"/kafka-*.pid "$RUN_DIR"/search.pid; do
        [[ -f "$f" ]] || continue
        n=$(basename "$f" .pid)
        pid=$(read_pid "$n")
        if is_ours "$n" "$pid"; then names+=("$n:$pid"); any=1; else clear_state "$n"; fi
    done
    # TERM all groups at once (a KRaft quorum shuts down fastest together), then wait / KILL each.
    for a in "${names[@]:-}"; do [[ -n $a ]] && { kill -TERM -- "-${a#*:}" 2>/dev/null || kill -TERM "${a#*:}" 2>/dev/null; }; done
    for a in "${names[@]:-}"; do
        [[ -n $a ]] || continue
        stop_group "${a%%:*}" "${a#*:}" 25
        clear_state "${a%%:*}"; rm -f "$RUN_DIR/${a%%:*}.stopped"
        say "${a%%:*} stopped"
    done
    # JVMs of this stack home that lost their pid file (e.g. run/ deleted by hand): found by their marker.
    local o
    for o in $(stack_jvms); do
        err "stopping orphaned process $o of this stack ($(tr '\0' ' ' <"/proc/$o/cmdline" 2>/dev/null | grep -o -- '-Dkcl.stack.component=[^ ]*'))"
        stop_group orphan "$o" 10; any=1
    done
    if pg_alive || [[ -f "$RUN_DIR/sql.pid" ]]; then pg_alive && any=1; stop_sql; fi
    rm -f "$RUN_DIR"/*.stopped "$RUN_DIR/brokers"
    (( any )) || say "nothing was running"
    return 0
}

# ---------------------------------------------------------------------------------------------------- status
fmt_since() { # epoch_ms
    local ms=$1 s age
    s=$((ms / 1000)); age=$(( $(date +%s) - s ))
    printf '%s (%s ago)' "$(date -d "@$s" '+%F %T')" "$(fmt_age "$age")"
}
fmt_age() { local a=$1; if ((a < 60)); then echo "${a}s"; elif ((a < 3600)); then echo "$((a / 60))m$((a % 60))s"; else echo "$((a / 3600))h$((a % 3600 / 60))m"; fi; }

health_of() { # name state -> healthy|unhealthy|-
    local name=$1 state=$2
    [[ $state == running ]] || { echo -; return; }
    case $name in
        kafka-*) kafka_ping "$(kafka_port "${name#kafka-}")" && echo healthy || echo unhealthy ;;
        search) local h; h=$(search_health); [[ $h == green || $h == yellow ]] && echo "healthy" || echo unhealthy ;;
        sql) "${PG_BIN:-/usr/bin}/pg_isready" -q -h 127.0.0.1 -p "$SQL_PORT" -t 2 >/dev/null 2>&1 && echo healthy || echo unhealthy ;;
    esac
}

cmd_status() {
    local json=0
    [[ ${1:-} == --json ]] && json=1
    PG_BIN=""; need_postgres 2>/dev/null || true
    local comps=() n i
    local brokers; brokers=$(cat "$RUN_DIR/brokers" 2>/dev/null || echo 0)
    for ((i = 1; i <= 3; i++)); do
        if (( i <= brokers )) || [[ -f "$RUN_DIR/kafka-$i.pid" ]]; then comps+=("kafka-$i"); fi
    done
    [[ -f "$RUN_DIR/search.pid" || -f "$RUN_DIR/search.stopped" ]] && comps+=(search)
    { [[ -f "$RUN_DIR/sql.pid" ]] || [[ -f "$RUN_DIR/sql.since" ]] || { [[ -d "$RUN_DIR" ]] && pg_alive; }; } && comps+=(sql)

    local rc=0 rows=() state pid ports since health startup
    for n in "${comps[@]:-}"; do
        [[ -n $n ]] || continue
        state=$(comp_state "$n")
        pid=$(read_pid "$n"); [[ $state == stopped ]] && pid=""
        ports=$(cat "$RUN_DIR/$n.ports" 2>/dev/null)
        if [[ -z $ports ]]; then
            case $n in kafka-*) ports="$(kafka_ports "${n#kafka-}" | tr ' ' ',')" ;; search) ports="$SEARCH_PORT,$SEARCH_TRANSPORT_PORT" ;; sql) ports=$SQL_PORT ;; esac
        fi
        since=$(cat "$RUN_DIR/$n.since" 2>/dev/null)
        startup=$(cat "$RUN_DIR/$n.startup" 2>/dev/null)
        health=$(health_of "$n" "$state")
        [[ $state == crashed || $health == unhealthy ]] && rc=$EXIT_FAIL
        rows+=("$n|$state|${pid:-}|$ports|${since:-}|$health|${startup:-}")
    done

    if (( json )); then
        local first=1 r
        printf '{"stack_home":"%s","kafka_version":"%s","search":"opensearch %s","brokers":%s,"bootstrap":"%s","components":[' \
            "$STACK_HOME" "$KAFKA_VERSION" "${SEARCH_VERSION%.*}" "$brokers" "$( ((brokers > 0)) && bootstrap "$brokers")"
        for r in "${rows[@]:-}"; do
            [[ -n $r ]] || continue
            IFS='|' read -r n state pid ports since health startup <<<"$r"
            (( first )) || printf ','; first=0
            printf '{"name":"%s","state":"%s","pid":%s,"ports":[%s],"since_ms":%s,"healthy":%s,"startup_seconds":%s}' \
                "$n" "$state" "${pid:-null}" "$ports" "${since:-null}" \
                "$([[ $health == healthy ]] && echo true || echo false)" "${startup:-null}"
        done
        printf ']}\n'
        return $rc
    fi
    if [[ ${#rows[@]} -eq 0 || -z "${rows[0]:-}" ]]; then
        say "nothing is running (stack home: $STACK_HOME)"
        return 0
    fi
    printf '%-9s %-8s %-8s %-12s %-32s %-10s %s\n' COMPONENT STATE PID PORTS SINCE HEALTH STARTUP
    local r
    for r in "${rows[@]}"; do
        IFS='|' read -r n state pid ports since health startup <<<"$r"
        printf '%-9s %-8s %-8s %-12s %-32s %-10s %s\n' "$n" "$state" "${pid:--}" "$ports" \
            "$([[ -n $since && $state != stopped ]] && fmt_since "$since" || echo -)" "$health" "${startup:+${startup} s}"
        [[ $state == crashed ]] && say "          ^ $n died (pid file left behind); see: labstack.sh logs $n; 'labstack.sh up' restarts it"
    done
    (( brokers > 0 )) && say "bootstrap: $(bootstrap "$brokers")   stack home: $STACK_HOME"
    return $rc
}

# ---------------------------------------------------------------------------------------------------- logs
cmd_logs() {
    local name=${1:-} lines=200 follow=0
    [[ -n $name ]] || die $EXIT_USAGE "usage: labstack.sh logs kafka|kafka-N|search|sql [-n LINES] [-f]"
    shift
    while [[ $# -gt 0 ]]; do
        case $1 in -n) lines=$2; shift 2 ;; -f) follow=1; shift ;; *) die $EXIT_USAGE "logs: unknown option '$1'" ;; esac
    done
    [[ $name == kafka ]] && name=kafka-1
    local f
    case $name in
        kafka-[123] | search) f="$LOG_DIR/$name.log" ;;
        sql) f="$LOG_DIR/sql.log"; [[ -e $f ]] || f=$(pg_log) ;;
        *) die $EXIT_USAGE "unknown component '$name' (known: kafka, kafka-1, kafka-2, kafka-3, search, sql)" ;;
    esac
    [[ -e $f ]] || die $EXIT_FAIL "no log for $name yet ($f)"
    if (( follow )); then exec tail -n "$lines" -F "$f"; else tail -n "$lines" "$f"; fi
}

# ---------------------------------------------------------------------------------------------------- brokers
cmd_stop_broker() {
    local id=${1:-}
    [[ $id =~ ^[1-3]$ ]] || die $EXIT_USAGE "usage: labstack.sh stop-broker N   (N = 1, 2 or 3)"
    local pid; pid=$(read_pid "kafka-$id")
    is_ours "kafka-$id" "$pid" || { say "kafka-$id is not running"; return 0; }
    local t0; t0=$(now_ms)
    stop_group "kafka-$id" "$pid" 25
    rm -f "$(pidfile "kafka-$id")" "$RUN_DIR/kafka-$id.since"
    touch "$RUN_DIR/kafka-$id.stopped"
    say "kafka-$id stopped in $(secs_since "$t0") s (127.0.0.1:$(kafka_port "$id") is down)"
}

cmd_start_broker() {
    local id=${1:-}
    [[ $id =~ ^[1-3]$ ]] || die $EXIT_USAGE "usage: labstack.sh start-broker N   (N = 1, 2 or 3)"
    local brokers; brokers=$(cat "$RUN_DIR/brokers" 2>/dev/null || echo 0)
    (( id <= brokers )) || die $EXIT_USAGE "no broker $id in the running layout ($brokers broker(s)); use 'up --brokers 3'"
    [[ $(comp_state "kafka-$id") == running ]] && { say "kafka-$id already running"; return 0; }
    need_java
    clear_state "kafka-$id"
    # shellcheck disable=SC2046
    check_ports_free "kafka-$id" $(kafka_ports "$id")
    write_log4j
    ensure_tls
    write_kafka_config "$id" "$brokers"
    local t0; t0=$(now_ms)
    launch_kafka_node "$id" "$brokers"
    wait_kafka_node "$id" $(( $(date +%s) + READY_TIMEOUT )) || return $EXIT_FAIL
    local t; t=$(secs_since "$t0"); echo "$t" >"$RUN_DIR/kafka-$id.startup"
    say "kafka-$id ready in $t s (127.0.0.1:$(kafka_port "$id"))"
}

# The search node alone, down and back: its data directory is kept, so every index survives the restart (the
# search indexer's "node stopped mid-run" test and lab). start-search waits for health yellow/green.
cmd_stop_search() {
    local pid; pid=$(read_pid search)
    is_ours search "$pid" || { say "search is not running"; return 0; }
    local t0; t0=$(now_ms)
    stop_group search "$pid" 25
    rm -f "$(pidfile search)" "$RUN_DIR/search.since"
    touch "$RUN_DIR/search.stopped"
    say "search stopped in $(secs_since "$t0") s (http://127.0.0.1:$SEARCH_PORT is down)"
}

cmd_start_search() {
    case $(comp_state search) in
        running) say "search already running (pid $(read_pid search), http://127.0.0.1:$SEARCH_PORT)"; return 0 ;;
        crashed) say "search: stale pid file from a run that died; recovering" ;;
    esac
    need_java
    ensure_dirs
    clear_state search
    check_ports_free search "$SEARCH_PORT" "$SEARCH_TRANSPORT_PORT"
    resolve_one search "$SEARCH_LIB"
    local t0; t0=$(now_ms)
    launch_search
    local deadline=$(( $(date +%s) + READY_TIMEOUT ))
    while :; do
        case $(check_search) in
            ready) break ;;
            dead) return $EXIT_FAIL ;;
        esac
        if (( $(date +%s) >= deadline )); then
            tail -n 20 "$LOG_DIR/search.log" >&2
            err "search did not report health yellow/green on http://127.0.0.1:$SEARCH_PORT within $READY_TIMEOUT s (log: $LOG_DIR/search.log)"
            return $EXIT_FAIL
        fi
        sleep 0.5
    done
    local t; t=$(secs_since "$t0"); echo "$t" >"$RUN_DIR/search.startup"
    say "search ready in $t s (http://127.0.0.1:$SEARCH_PORT, health $(search_health))"
    release_search_blocks
}

cmd_paths() {
    say "script:     ${BASH_SOURCE[0]}"
    say "pom:        $POM"
    say "stack home: $STACK_HOME"
    say "jars:       $KAFKA_LIB  $SEARCH_LIB"
    say "logs:       $LOG_DIR"
    say "data:       $DATA_DIR  (PostgreSQL: $(pg_root))"
    say "kafka:      $(bootstrap 3 | cut -d, -f1) (3 brokers: $(bootstrap 3)); controllers from $KAFKA_CONTROLLER_PORT"
    say "tls:        $(kafka_tport 1) (3 brokers: $(kafka_tport 1)-$(kafka_tport 3)), CA certificate $TLS_DIR/ca.pem"
    say "search:     http://127.0.0.1:$SEARCH_PORT (transport $SEARCH_TRANSPORT_PORT)"
    say "sql:        host=127.0.0.1 port=$SQL_PORT dbname=kcl user=kcl password=kcl"
}

# ---------------------------------------------------------------------------------------------------- main
cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    tool) cmd_tool "$@" ;;
    stop-broker) cmd_stop_broker "$@" ;;
    start-broker) cmd_start_broker "$@" ;;
    stop-search) cmd_stop_search ;;
    start-search) cmd_start_search ;;
    resolve) need_java; ensure_dirs; resolve_one kafka "$KAFKA_LIB"; resolve_one search "$SEARCH_LIB" ;;
    paths) cmd_paths ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit $EXIT_USAGE ;;
    *) err "unknown command '$cmd'"; usage >&2; exit $EXIT_USAGE ;;
esac
