#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft mode, combined broker+controller) from
# Maven Central jars, for tests and local development. No Docker needed, only java and mvn
# (and openssl for the optional SASL_SSL listener).
#
#   bash scripts/kafka.sh start|stop|status
#
# Environment:
#   KAFKA_VERSION          Apache Kafka version (4.x; 3.9.x also runs)  default 4.4.0
#   KAFKA_PORT             client (PLAINTEXT) port                      default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port                        default KAFKA_PORT+1
#   KAFKA_SASL_SSL_PORT    opens a SASL_SSL listener (SCRAM-SHA-256 over TLS, like Redpanda
#                          Cloud) on this port as well                  default: none
#   KAFKA_SCRAM_USERS      SCRAM-SHA-256 users of that listener, "name:password,..."; applied
#                          when the storage is formatted                default todo:todo-secret
#   KAFKA_CLEAN=1          on start: wipe the run dir (fresh data) unless the broker is running
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to be ready   default 60
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL default 30
#   KAFKA_HEAP_OPTS        JVM heap flags                               default -Xmx512m -Xms256m
#
# Files (project-root relative, ignored by git):
#   .cache/kafka/<version>/libs/   jars, downloaded once per pom.xml change
#                                  (marker: .cache/kafka/<version>/.complete, the pom's checksum)
#   .cache/kafka/run-<port>/       server.properties, log4j2.properties, data/, broker.log,
#                                  console.log (JVM stdout/stderr), kafka.pid
#   .cache/kafka/run-<port>/tls/   with KAFKA_SASL_SSL_PORT, generated once: ca.pem (the CA for
#                                  clients, e.g. KAFKA_SSL_CA), ca.key, broker.pem, broker.p12
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-}"
SCRAM_USERS="${KAFKA_SCRAM_USERS:-todo:todo-secret}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/kafka"
VERSION_DIR="$CACHE/$KAFKA_VERSION"
LIBS="$VERSION_DIR/libs"
MARKER="$VERSION_DIR/.complete"
RUN_DIR="$CACHE/run-$PORT"
DATA_DIR="$RUN_DIR/data"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/broker.log"
CONSOLE_LOG="$RUN_DIR/console.log"
TLS_DIR="$RUN_DIR/tls"
SCRAM_MARKER="$RUN_DIR/scram-users"
READY_PATTERN='Kafka Server started'

log() { echo "kafka.sh: $*"; }
die() {
  echo "kafka.sh: error: $*" >&2
  exit 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH; $2"
}

# The jar download, the broker configuration and the SASL_SSL listener (functions only).
# shellcheck source=kafka/config.sh
source "$ROOT/scripts/kafka/config.sh"
# shellcheck source=kafka/sasl-ssl.sh
source "$ROOT/scripts/kafka/sasl-ssl.sh"
# shellcheck source=kafka/download.sh
source "$ROOT/scripts/kafka/download.sh"

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Prints the pid from the pid file if that process is alive and is our broker.
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must be a kafka.Kafka JVM for this run dir.
  local args
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null || true)"
  [[ "$args" == *kafka.Kafka* && "$args" == *"$RUN_DIR"* ]] || return 1
  echo "$pid"
}

# The Kafka version of the running broker $1, from the jars on its class path.
running_version() {
  local args
  args="$(ps -ww -o args= -p "$1" 2>/dev/null || true)"
  args="${args#*"-cp $CACHE"/}"
  echo "${args%%/libs/*}"
}

ready() {
  port_open "$PORT" && [[ -f "$LOG_FILE" ]] && grep -q "$READY_PATTERN" "$LOG_FILE" &&
    { [[ -z "$SASL_SSL_PORT" ]] || port_open "$SASL_SSL_PORT"; }
}

show_logs() {
  local f
  for f in "$LOG_FILE" "$CONSOLE_LOG"; do
    if [[ -s "$f" ]]; then
      echo "----- last lines of $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

format_storage() {
  SCRAM_ARGS=()
  if [[ -n "$SASL_SSL_PORT" ]]; then
    set_scram_args
  fi
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    # SCRAM users live in the cluster metadata, written when the storage is formatted.
    if [[ -n "$SASL_SSL_PORT" && "$(cat "$SCRAM_MARKER" 2>/dev/null)" != "$SCRAM_USERS" ]]; then
      die "KAFKA_SCRAM_USERS differs from the users this broker's storage was formatted with; start with KAFKA_CLEAN=1 to apply them"
    fi
    return 0
  fi
  # A cluster id is 16 random bytes, URL-safe base64 without padding.
  # One that starts with '-' would be read as an option by the storage tool: draw again.
  local cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  log "formatting storage in ${DATA_DIR#"$ROOT"/} (cluster id $cluster_id)"
  if ! "${JAVA_CMD[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$RUN_DIR/server.properties" "${SCRAM_ARGS[@]}" >"$RUN_DIR/format.log" 2>&1; then
    cat "$RUN_DIR/format.log" >&2
    die "storage format failed"
  fi
  if [[ -n "$SASL_SSL_PORT" ]]; then
    printf '%s' "$SCRAM_USERS" >"$SCRAM_MARKER"
  else
    rm -f "$SCRAM_MARKER"
  fi
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs
      rm -f "$PID_FILE"
      die "broker process $pid exited during startup"
    fi
    if ready; then
      echo "Kafka $(running_version "$pid") ready on 127.0.0.1:$PORT"
      print_sasl_ssl
      return 0
    fi
    sleep 0.5
  done
  show_logs
  die "broker (pid $pid) not ready on 127.0.0.1:$PORT after ${START_TIMEOUT}s; stop it with: bash scripts/kafka.sh stop"
}

start() {
  require java "install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)."
  [[ "$PORT" =~ ^[0-9]+$ && "$CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must be numbers"
  [[ "$PORT" != "$CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  if [[ -n "$SASL_SSL_PORT" ]]; then
    [[ "$SASL_SSL_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_SASL_SSL_PORT must be a number"
    [[ "$SASL_SSL_PORT" != "$PORT" && "$SASL_SSL_PORT" != "$CONTROLLER_PORT" ]] ||
      die "KAFKA_SASL_SSL_PORT must differ from KAFKA_PORT and KAFKA_CONTROLLER_PORT"
  fi

  # Serialize concurrent starts on the same port (flock is Linux-only; skipped elsewhere).
  mkdir -p "$CACHE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.start-$PORT.lock"
    flock 9
  fi

  local pid
  if pid="$(broker_pid)"; then
    if [[ "${KAFKA_CLEAN:-}" == 1 ]]; then
      log "broker is running; KAFKA_CLEAN=1 ignored" >&2
    fi
    if [[ -n "$SASL_SSL_PORT" ]] && ! grep -q "SASL_SSL://127.0.0.1:$SASL_SSL_PORT" "$RUN_DIR/server.properties"; then
      die "the broker on 127.0.0.1:$PORT (pid $pid) runs without a SASL_SSL listener on $SASL_SSL_PORT; stop it first"
    fi
    if ready; then
      echo "Kafka $(running_version "$pid") already running on 127.0.0.1:$PORT (pid $pid)"
      print_sasl_ssl
      return 0
    fi
    log "broker (pid $pid) is still starting; waiting"
    wait_ready "$pid"
    return 0
  fi
  rm -f "$PID_FILE"

  local p
  for p in "$PORT" "$CONTROLLER_PORT" $SASL_SSL_PORT; do
    if port_open "$p"; then
      die "port $p on 127.0.0.1 is already in use by another process (not a broker started by this script from $ROOT). Free it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_SASL_SSL_PORT."
    fi
  done

  if [[ "${KAFKA_CLEAN:-}" == 1 ]]; then
    log "KAFKA_CLEAN=1: wiping ${RUN_DIR#"$ROOT"/}"
    rm -rf "$RUN_DIR"
  fi

  download
  if [[ -n "$SASL_SSL_PORT" ]]; then
    generate_tls
  fi
  write_config
  # Keep the previous run's log aside so the readiness check only sees this run.
  if [[ -f "$LOG_FILE" ]]; then
    mv -f "$LOG_FILE" "$LOG_FILE.prev"
  fi
  set_java_cmd
  format_storage

  : >"$CONSOLE_LOG"
  # nohup + all fds redirected: the broker outlives this script and holds no caller pipes.
  nohup "${JAVA_CMD[@]}" kafka.Kafka "$RUN_DIR/server.properties" >"$CONSOLE_LOG" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  log "started broker pid $pid (logs: ${LOG_FILE#"$ROOT"/})"
  wait_ready "$pid"
}

stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    echo "Kafka not running on 127.0.0.1:$PORT"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive after ${STOP_TIMEOUT}s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  echo "Kafka stopped on 127.0.0.1:$PORT (pid $pid)"
}

status() {
  local pid
  if pid="$(broker_pid)" && port_open "$PORT"; then
    echo "Kafka $(running_version "$pid") running on 127.0.0.1:$PORT (pid $pid)"
    return 0
  fi
  echo "Kafka not running on 127.0.0.1:$PORT"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: bash scripts/kafka.sh start|stop|status" >&2
    exit 2
    ;;
esac
