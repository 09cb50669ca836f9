#!/usr/bin/env bash
# Real services for the tests: PostgreSQL 15 + pgvector, Redis and an S3 server, each bound to 127.0.0.1 on a free
# port under a fresh state directory, stopped by PID (never by name).
#
#   eng/services.sh run CMD [ARGS...]   start, run CMD with the PRXY_* variables exported, then stop
#                                       (also on failure and Ctrl-C); exits with CMD's exit code
#   eng/services.sh start               start and leave running; prints the state directory. Load the variables
#                                       with `. STATE/env.sh`, stop with `eng/services.sh stop STATE`
#   eng/services.sh stop STATE          stop what STATE/pids records and remove STATE
#
# Sourced (eng/test.sh does): defines prxy_services_start and prxy_services_stop; the caller traps EXIT.
#
# Exported: PRXY_TEST_POSTGRES (Npgsql connection string), PRXY_TEST_POSTGRES_PID, PRXY_TEST_REDIS (host:port),
# PRXY_TEST_REDIS_PID, PRXY_TEST_S3_ENDPOINT, PRXY_TEST_S3_BUCKET, PRXY_TEST_S3_PID, PRXY_SQLITE_VEC,
# PRXY_TEST_PG_BIN, PRXY_TEST_REDIS_SERVER, PRXY_TEST_S3RVER.
#
# Ports: PRXY_PORT_RANGE=LOW-HIGH limits the search (e.g. 55400-55499); otherwise a random window in 20000-29999.
# A service that does not start is reported and left out (its tests skip); with CI=true it is an error.
# PRXY_KEEP_STATE=1 keeps the state directory (logs, data) after stop.

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PRXY_S3_BUCKET=${PRXY_S3_BUCKET:-prxy-test}
PRXY_PG_DATABASE=prxy_test

_svc_log() { printf 'eng/services: %s\n' "$*" >&2; }

# True while PID is a live process (a zombie counts as gone).
_svc_alive() {
  local pid=$1 stat
  [[ -n $pid && -r /proc/$pid/stat ]] || return 1
  stat=$(</proc/"$pid"/stat) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# True when PID runs the program we started (guards against a recycled PID).
_svc_is_ours() {
  local pid=$1 expect=$2 cmdline
  cmdline=$(tr '\0' ' ' < /proc/"$pid"/cmdline 2>/dev/null) || return 1
  [[ $cmdline == *"$expect"* ]]
}

_svc_port_free() {
  local port=$1
  # A connection that succeeds means something listens there.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 1; fi
  [[ " $_SVC_TAKEN_PORTS " != *" $port "* ]]
}

# Prints a free TCP port on 127.0.0.1 and remembers it so the next call picks another.
_svc_free_port() {
  local low high port tries
  if [[ ${PRXY_PORT_RANGE:-} =~ ^([0-9]+)-([0-9]+)$ ]]; then
    low=${BASH_REMATCH[1]}; high=${BASH_REMATCH[2]}
  else
    low=$((20000 + (RANDOM % 100) * 100)); high=$((low + 99))
  fi
  port=$((low + RANDOM % (high - low + 1)))
  for ((tries = 0; tries <= high - low; tries++)); do
    if _svc_port_free "$port"; then
      _SVC_TAKEN_PORTS+=" $port"
      echo "$port"
      return 0
    fi
    port=$((port + 1)); ((port > high)) && port=$low
  done
  _svc_log "no free port in $low-$high"
  return 1
}

_svc_wait() { # _svc_wait SECONDS PID COMMAND...  — polls COMMAND until it succeeds, the PID dies, or time runs out
  local seconds=$1 pid=$2 i; shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    [[ -n $pid ]] && ! _svc_alive "$pid" && return 1
    sleep 0.1
  done
  return 1
}

_svc_record() { # name pid marker
  echo "$1 $2 $3" >> "$PRXY_SERVICES_STATE/pids"
}

_svc_show_log() {
  [[ -f $1 ]] || return 0
  _svc_log "--- last lines of $1"
  tail -n 15 "$1" | sed 's/^/    /' >&2
}

_svc_as_postgres() { # runs a command line as the postgres user when we are root (initdb refuses root)
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "cd / && $1"
  else
    sh -c "$1"
  fi
}

_svc_start_postgres() {
  local dir="$PRXY_SERVICES_STATE/postgres" port pid attempt
  [[ -x "$PRXY_PG_BIN/initdb" ]] || { _svc_log "PostgreSQL: $PRXY_PG_BIN/initdb not found (run eng/install.sh)"; return 1; }
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
  if ! _svc_as_postgres "'$PRXY_PG_BIN/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N" \
       > "$PRXY_SERVICES_STATE/postgres-initdb.log" 2>&1; then
    _svc_log "PostgreSQL: initdb failed"; _svc_show_log "$PRXY_SERVICES_STATE/postgres-initdb.log"; return 1
  fi
  for attempt in 1 2 3; do
    port=$(_svc_free_port) || return 1
    cat >> "$dir/data/postgresql.conf" <<CONF
# eng/services.sh (a later line wins)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/data'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    if _svc_as_postgres "'$PRXY_PG_BIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 30 -s start" >/dev/null 2>&1; then
      pid=$(head -n 1 "$dir/data/postmaster.pid")
      _svc_record postgres "$pid" "$dir/data"
      break
    fi
    _svc_log "PostgreSQL: did not start on port $port (attempt $attempt)"
    pid=""
  done
  [[ -n $pid ]] || { _svc_show_log "$dir/server.log"; return 1; }

  local psql=("$PRXY_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if ! "${psql[@]}" -d postgres -c "CREATE DATABASE $PRXY_PG_DATABASE" > "$dir/setup.log" 2>&1 \
     || ! "${psql[@]}" -d "$PRXY_PG_DATABASE" -c "CREATE EXTENSION vector" >> "$dir/setup.log" 2>&1; then
    _svc_log "PostgreSQL: could not create database $PRXY_PG_DATABASE with the vector extension (is pgvector installed? run eng/install.sh)"
    _svc_show_log "$dir/setup.log"
    return 1
  fi
  export PRXY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=$PRXY_PG_DATABASE;Username=postgres"
  export PRXY_TEST_POSTGRES_PID=$pid
  _svc_log "PostgreSQL $("${psql[@]}" -d "$PRXY_PG_DATABASE" -c "SHOW server_version" | cut -d' ' -f1) + pgvector $("${psql[@]}" -d "$PRXY_PG_DATABASE" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'") on 127.0.0.1:$port (pid $pid)"
}

_svc_redis_ping() ( # a subshell: the descriptor never leaks into the caller
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3
  [[ $reply == +PONG* ]]
)

_svc_start_redis() {
  local dir="$PRXY_SERVICES_STATE/redis" server port pid attempt
  server=$(command -v redis-server) || { _svc_log "Redis: redis-server not found (run eng/install.sh)"; return 1; }
  mkdir -p "$dir"
  for attempt in 1 2 3; do
    port=$(_svc_free_port) || return 1
    "$server" --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no \
      --dir "$dir" --logfile "$dir/server.log" </dev/null >/dev/null 2>&1 &
    pid=$!
    if _svc_wait 10 "$pid" _svc_redis_ping "$port"; then
      _svc_record redis "$pid" redis-server
      break
    fi
    _svc_log "Redis: did not start on port $port (attempt $attempt)"
    _svc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    pid=""
  done
  [[ -n $pid ]] || { _svc_show_log "$dir/server.log"; return 1; }
  export PRXY_TEST_REDIS="127.0.0.1:$port"
  export PRXY_TEST_REDIS_PID=$pid
  _svc_log "Redis $("$server" --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$port (pid $pid)"
}

_svc_bucket_ready() { curl -sf -o /dev/null "http://127.0.0.1:$1/$PRXY_S3_BUCKET"; }

_svc_start_s3() {
  local dir="$PRXY_SERVICES_STATE/s3" s3rver port pid attempt
  [[ -n ${_SVC_TOOLS:-} ]] || { _svc_log "S3: s3rver not found (run eng/install.sh)"; return 1; }
  s3rver="$_SVC_TOOLS/node_modules/.bin/s3rver"
  mkdir -p "$dir/data"
  for attempt in 1 2 3; do
    port=$(_svc_free_port) || return 1
    NODE_OPTIONS=--openssl-legacy-provider "$s3rver" -d "$dir/data" -a 127.0.0.1 -p "$port" -s --configure-bucket "$PRXY_S3_BUCKET" \
      </dev/null >"$dir/server.log" 2>&1 &
    pid=$!
    if _svc_wait 20 "$pid" _svc_bucket_ready "$port"; then
      _svc_record s3 "$pid" s3rver
      break
    fi
    _svc_log "S3: did not start on port $port (attempt $attempt)"
    _svc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    pid=""
  done
  [[ -n $pid ]] || { _svc_show_log "$dir/server.log"; return 1; }
  export PRXY_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  export PRXY_TEST_S3_BUCKET=$PRXY_S3_BUCKET
  export PRXY_TEST_S3_PID=$pid
  _svc_log "S3 (s3rver $PRXY_S3RVER_VERSION) on 127.0.0.1:$port, bucket $PRXY_S3_BUCKET (pid $pid)"
}

# Stops every server recorded in STATE/pids, newest first, by PID; then removes STATE.
prxy_services_stop_dir() {
  local state=$1 name pid marker i
  [[ -n $state && -d $state ]] || return 0
  if [[ -f $state/watchdog.pid ]]; then
    pid=$(<"$state/watchdog.pid")
    [[ $pid != "$BASHPID" ]] && _svc_alive "$pid" && kill -TERM "$pid" 2>/dev/null
  fi
  if [[ -f $state/pids ]]; then
    while read -r name pid marker; do
      _svc_alive "$pid" && _svc_is_ours "$pid" "$marker" || continue
      if [[ $name == postgres ]]; then
        kill -INT "$pid" 2>/dev/null    # fast shutdown: roll back sessions, stop cleanly
      else
        kill -TERM "$pid" 2>/dev/null
      fi
      for ((i = 0; i < 100; i++)); do _svc_alive "$pid" || break; sleep 0.1; done
      if _svc_alive "$pid"; then
        _svc_log "$name (pid $pid) did not stop in 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null
      fi
      wait "$pid" 2>/dev/null
      _svc_log "stopped $name (pid $pid)"
    done < <(tac "$state/pids")
  fi
  if [[ ${PRXY_KEEP_STATE:-} == 1 ]]; then
    _svc_log "state kept in $state"
  else
    rm -rf "$state"
  fi
}

prxy_services_stop() {
  [[ -n ${PRXY_SERVICES_STATE:-} ]] || return 0
  prxy_services_stop_dir "$PRXY_SERVICES_STATE"
  unset PRXY_SERVICES_STATE
}

# Starts everything and exports the coordinates. Returns non-zero only under CI=true when a service failed
# (after stopping what did start). WATCH_PID, if given, is watched: when it dies, the servers are stopped.
prxy_services_start() {
  local watch_pid=${1:-} failed=()
  _SVC_TAKEN_PORTS=""
  PRXY_SERVICES_STATE=$(mktemp -d "${TMPDIR:-/tmp}/prxy-services.XXXXXX")
  export PRXY_SERVICES_STATE
  chmod 755 "$PRXY_SERVICES_STATE"
  : > "$PRXY_SERVICES_STATE/pids"

  if [[ -n $watch_pid ]]; then
    # Stops the servers even if the owner is killed with SIGKILL (no trap runs then).
    (
      trap 'exit 0' TERM
      trap '' INT
      while _svc_alive "$watch_pid"; do sleep 1; done
      prxy_services_stop_dir "$PRXY_SERVICES_STATE"
    ) </dev/null >/dev/null 2>&1 &
    echo $! > "$PRXY_SERVICES_STATE/watchdog.pid"
  fi

  _SVC_TOOLS=$(prxy_find_tools_dir) || _SVC_TOOLS=""
  _svc_start_postgres || failed+=(PostgreSQL)
  _svc_start_redis || failed+=(Redis)
  _svc_start_s3 || failed+=(S3)

  export PRXY_TEST_PG_BIN=$PRXY_PG_BIN
  if command -v redis-server >/dev/null 2>&1; then export PRXY_TEST_REDIS_SERVER; PRXY_TEST_REDIS_SERVER=$(command -v redis-server); fi
  if [[ -n $_SVC_TOOLS ]]; then
    export PRXY_TEST_S3RVER="$_SVC_TOOLS/node_modules/.bin/s3rver"
    export PRXY_SQLITE_VEC="$_SVC_TOOLS/node_modules/sqlite-vec-linux-x64/vec0.so"
  else
    _svc_log "sqlite-vec: vec0.so not found (run eng/install.sh)"
    failed+=(sqlite-vec)
  fi

  local var
  for var in PRXY_TEST_POSTGRES PRXY_TEST_POSTGRES_PID PRXY_TEST_REDIS PRXY_TEST_REDIS_PID PRXY_TEST_S3_ENDPOINT \
             PRXY_TEST_S3_BUCKET PRXY_TEST_S3_PID PRXY_SQLITE_VEC PRXY_TEST_PG_BIN PRXY_TEST_REDIS_SERVER PRXY_TEST_S3RVER; do
    [[ -n ${!var:-} ]] && printf 'export %s=%q\n' "$var" "${!var}"
  done > "$PRXY_SERVICES_STATE/env.sh"

  if ((${#failed[@]})); then
    if [[ ${CI:-} == true ]]; then
      _svc_log "ERROR: CI=true and these services are not available: ${failed[*]}"
      prxy_services_stop
      return 1
    fi
    _svc_log "WARNING: not available (their tests will skip): ${failed[*]}"
  fi
  return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -uo pipefail
  case ${1:-} in
    run)
      shift
      [[ $# -gt 0 ]] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
      trap prxy_services_stop EXIT
      trap 'exit 130' INT
      trap 'exit 143' TERM
      prxy_services_start "$$" || exit 1
      "$@"
      exit $?
      ;;
    start)
      prxy_services_start || exit 1
      echo "$PRXY_SERVICES_STATE"
      _svc_log "load the variables: . $PRXY_SERVICES_STATE/env.sh ; stop: $0 stop $PRXY_SERVICES_STATE"
      ;;
    stop)
      [[ -n ${2:-} ]] || { echo "usage: $0 stop STATE_DIR" >&2; exit 2; }
      [[ -f $2/pids ]] || { echo "$2 is not a state directory of $0" >&2; exit 2; }
      prxy_services_stop_dir "$2"
      ;;
    *)
      sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
      exit 2
      ;;
  esac
fi
