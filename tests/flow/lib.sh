# SPDX-License-Identifier: MIT
# Helpers for the flow scripts: a scratch folder, checks that name what
# failed, and whk listen started on a free loopback port and stopped again.
set -u

: "${WHK:?WHK must name the built whk executable}"
export TWILIO_AUTH_TOKEN=0123456789abcdef0123456789abcdef
# Under -DWHK_SANITIZE=ON a sanitizer report must not pass as exit 1 or 2.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86}
export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1}
PUBLIC=https://twilio-dev.example.com
WORK=$(mktemp -d /tmp/whk-flow-XXXXXX)
cd "$WORK" || exit 1
failures=0
checks=0
listen_pids=()

cleanup() {
  for pid in "${listen_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_status STATUS NAME COMMAND...: runs COMMAND, output to out/err.
expect_status() {
  local want=$1 name=$2 got
  shift 2
  checks=$((checks + 1))
  "$@" >out 2>err
  got=$?
  if grep -qE 'Sanitizer|runtime error:' err; then
    fail "$name: sanitizer report"
    cat err >&2
  elif [ "$got" -ne "$want" ]; then
    fail "$name: exit status $got, expected $want"
    sed 's/^/  stdout: /' out >&2
    sed 's/^/  stderr: /' err >&2
  fi
}

# expect_in FILE TEXT NAME: FILE contains TEXT (fixed string).
expect_in() {
  checks=$((checks + 1))
  if ! grep -qF -- "$2" "$1"; then
    fail "$3: '$2' not in $1"
    sed 's/^/  | /' "$1" >&2
  fi
}

expect_not_in() {
  checks=$((checks + 1))
  if grep -qF -- "$2" "$1"; then
    fail "$3: '$2' unexpectedly in $1"
  fi
}

expect_equal() {
  checks=$((checks + 1))
  if [ "$1" != "$2" ]; then
    fail "$3: '$1', expected '$2'"
  fi
}

# start_listen LOG ARGS...: starts whk listen on a free port, waits for
# its banner (at most 10 s) and sets LISTEN_PID and LISTEN_PORT.
start_listen() {
  local log=$1 i
  shift
  "$WHK" listen --port 0 "$@" >"$log" 2>"$log.err" &
  LISTEN_PID=$!
  listen_pids+=("$LISTEN_PID")
  for i in $(seq 100); do
    LISTEN_PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
    [ -n "$LISTEN_PORT" ] && return 0
    kill -0 "$LISTEN_PID" 2>/dev/null || break
    sleep 0.1
  done
  fail "whk listen did not start: $(cat "$log.err")"
  exit 1
}

# stop_listen [SIGNAL]: stops the last listener; it must exit 0.
stop_listen() {
  local status
  kill "-${1:-TERM}" "$LISTEN_PID"
  wait "$LISTEN_PID"
  status=$?
  checks=$((checks + 1))
  if [ "$status" -ne 0 ]; then
    fail "whk listen exited $status after SIG${1:-TERM}"
  fi
}

# A port where nothing listens: one whk listen used and gave back.
closed_port() {
  local pid port i
  "$WHK" listen -p twilio --port 0 --capture closed.jsonl >closed.log 2>&1 &
  pid=$!
  for i in $(seq 100); do
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' closed.log)
    [ -n "$port" ] && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null
  echo "$port"
}

finish() {
  # Listener logs hold their stderr; none may carry a sanitizer report.
  checks=$((checks + 1))
  if cat ./*.err ./*.log 2>/dev/null | grep -qE 'Sanitizer|runtime error:'; then
    fail "sanitizer report in a listener's output"
    grep -hE -A20 'Sanitizer|runtime error:' ./*.err ./*.log >&2
  fi
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
  exit $?
}
