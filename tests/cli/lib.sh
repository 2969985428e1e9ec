# SPDX-License-Identifier: MIT
# Helpers for the whk command-line tests: run a command with its output
# captured, check its exit status and output, and count the failures.
#
# A test script sources this file and calls cli_begin. For each case it
# calls cli_case, run and expect_*. It ends with cli_end, which exits 1
# when a check failed or none ran. CTest sets WHK (the whk executable),
# WHK_TEST_SOURCE_DIR (tests/) and WHK_TEST_BINARY_DIR (build/tests).

set -u

# Maximum seconds a command may run before it counts as hung. The 10 MiB
# cases take a few seconds under AddressSanitizer.
CLI_TIMEOUT=${CLI_TIMEOUT:-300}

# Bytes of a command's stdout and stderr shown with a failure.
CLI_SHOW_BYTES=4000

cli_begin() {
    if [ -z "${WHK:-}" ] || [ ! -x "$WHK" ]; then
        echo "FAIL: WHK='${WHK:-}' is not an executable; run through ctest" >&2
        exit 1
    fi
    if [ -z "${WHK_TEST_SOURCE_DIR:-}" ] || [ -z "${WHK_TEST_BINARY_DIR:-}" ]; then
        echo "FAIL: WHK_TEST_SOURCE_DIR and WHK_TEST_BINARY_DIR must be set" >&2
        exit 1
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/whk-cli.XXXXXX") || exit 1
    trap 'rm -rf "$WORK"' EXIT
    mkdir "$WORK/runs"
    # The tests choose every secret and search path themselves.
    unset TWILIO_AUTH_TOKEN WHK_PROVIDERS_PATH WHK_PLUGIN_PATH
    CLI_CASE="(no case)"
    CLI_CHECKS=0
    CLI_FAILURES=0
    CLI_RUNS=0
    STATUS=""
    OUT=/dev/null
    ERR=/dev/null
    LAST_COMMAND=""
}

# cli_case NAME: names the checks that follow, for failure messages.
cli_case() {
    CLI_CASE=$1
    echo "-- $CLI_CASE"
}

# Prints the last command, its exit status and its output.
show_last_run() {
    echo "   command: $LAST_COMMAND"
    echo "   exit status: $STATUS"
    echo "   stdout ($(wc -c <"$OUT") bytes):"
    head -c "$CLI_SHOW_BYTES" "$OUT" | sed 's/^/     | /'
    echo "   stderr ($(wc -c <"$ERR") bytes):"
    head -c "$CLI_SHOW_BYTES" "$ERR" | sed 's/^/     | /'
}

# fail MESSAGE: records a failed check of the current case.
fail() {
    CLI_FAILURES=$((CLI_FAILURES + 1))
    echo "FAIL [$CLI_CASE] $1"
    show_last_run
}

# Counts one check.
check() {
    CLI_CHECKS=$((CLI_CHECKS + 1))
}

# run [--stdin FILE] COMMAND [ARG...]: runs a command with stdin from FILE
# (default /dev/null) and stores STATUS, OUT and ERR (the paths of its
# captured stdout and stderr). Every run is checked for a crash: a
# signal, a timeout, or a sanitizer report.
run() {
    local stdin=/dev/null

    if [ "${1:-}" = --stdin ]; then
        stdin=$2
        shift 2
    fi
    CLI_RUNS=$((CLI_RUNS + 1))
    OUT="$WORK/runs/$CLI_RUNS.out"
    ERR="$WORK/runs/$CLI_RUNS.err"
    LAST_COMMAND=$(printf '%q ' "$@")
    echo "$LAST_COMMAND" >"$WORK/runs/$CLI_RUNS.command"
    timeout -k 5 "$CLI_TIMEOUT" "$@" <"$stdin" >"$OUT" 2>"$ERR"
    STATUS=$?
    expect_no_crash
}

expect_no_crash() {
    check
    if [ "$STATUS" -eq 124 ]; then
        fail "timed out after $CLI_TIMEOUT s"
    elif [ "$STATUS" -gt 128 ]; then
        fail "killed by signal $((STATUS - 128))"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR"; then
        fail "sanitizer report on stderr"
    fi
}

# expect_status N: the last command exited with status N.
expect_status() {
    check
    [ "$STATUS" = "$1" ] || fail "expected exit status $1, got $STATUS"
}

# expect_out TEXT / expect_err TEXT: stdout / stderr contains TEXT.
expect_out() {
    check
    grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"
}

expect_err() {
    check
    grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"
}

# expect_out_lacks TEXT / expect_err_lacks TEXT: the reverse.
expect_out_lacks() {
    check
    if grep -qF -- "$1" "$OUT"; then
        fail "stdout contains: $1"
    fi
}

expect_err_lacks() {
    check
    if grep -qF -- "$1" "$ERR"; then
        fail "stderr contains: $1"
    fi
}

# expect_out_empty / expect_err_empty: nothing was printed there.
expect_out_empty() {
    check
    [ ! -s "$OUT" ] || fail "expected empty stdout"
}

expect_err_empty() {
    check
    [ ! -s "$ERR" ] || fail "expected empty stderr"
}

# Prints top-level KEY of the JSON object on stdout: strings as they are,
# null as "null", other values as compact JSON. The first call for a run
# splits its stdout into one file per key, so node starts once per run.
json_field() {
    local fields="$OUT.fields"

    if [ ! -d "$fields" ]; then
        mkdir "$fields"
        node -e '
            const fs = require("fs");
            const [file, dir] = process.argv.slice(1);
            let root;
            try {
                root = JSON.parse(fs.readFileSync(file, "utf8"));
            } catch (e) {
                fs.writeFileSync(dir + "/.error", "(stdout is not JSON: " +
                                 e.message + ")");
                process.exit(0);
            }
            for (const [key, value] of Object.entries(root))
                fs.writeFileSync(dir + "/" + encodeURIComponent(key),
                                 typeof value === "string" ? value
                                                           : JSON.stringify(value));
        ' "$OUT" "$fields"
    fi
    if [ -f "$fields/.error" ]; then
        cat "$fields/.error"
    elif [ -f "$fields/$1" ]; then
        cat "$fields/$1"
    else
        printf '(missing)'
    fi
}

# expect_json KEY VALUE: top-level KEY of the JSON on stdout is VALUE.
expect_json() {
    local actual

    check
    actual=$(json_field "$1")
    [ "$actual" = "$2" ] || fail "JSON '$1' is '$actual', expected '$2'"
}

# expect_json_contains KEY TEXT: KEY's value, as printed by json_field,
# contains TEXT (for arrays such as hints and notes).
expect_json_contains() {
    local actual

    check
    actual=$(json_field "$1")
    case "$actual" in
    *"$2"*) ;;
    *) fail "JSON '$1' is '$actual', which lacks '$2'" ;;
    esac
}

# expect_no_leak SECRET...: no captured stdout or stderr of this script
# contains any of the secrets.
expect_no_leak() {
    local secret file

    for secret in "$@"; do
        check
        file=$(grep -lF -- "$secret" "$WORK"/runs/*.out "$WORK"/runs/*.err |
               head -n 1)
        if [ -n "$file" ]; then
            CLI_FAILURES=$((CLI_FAILURES + 1))
            echo "FAIL [$CLI_CASE] a secret appears in the" \
                 "std${file##*.} of: $(cat "${file%.*}.command")"
            grep -nF -- "$secret" "$file" | head -n 5 | sed 's/^/     | /'
        fi
    done
}

# write_request FILE METHOD TARGET BODY_FILE [HEADER...]: writes a raw
# HTTP/1.1 request with CRLF line ends, the headers in the order given,
# then Content-Length and the body.
write_request() {
    local file=$1 method=$2 target=$3 body=$4 header
    shift 4

    {
        printf '%s %s HTTP/1.1\r\n' "$method" "$target"
        for header in "$@"; do
            printf '%s\r\n' "$header"
        done
        printf 'Content-Length: %d\r\n\r\n' "$(wc -c <"$body")"
        cat "$body"
    } >"$file"
}

# Prints the value of the "Name: value" line NAME from the last stdout.
output_header() {
    sed -n "s/^$1: //p" "$OUT" | head -n 1
}

# Prints the current time in nanoseconds, for timing a command.
now_ns() {
    date +%s%N
}

cli_end() {
    echo "$CLI_RUNS commands, $CLI_CHECKS checks, $CLI_FAILURES failed"
    if [ "$CLI_CHECKS" -eq 0 ]; then
        echo "FAIL: no checks ran"
        exit 1
    fi
    [ "$CLI_FAILURES" -eq 0 ] || exit 1
    exit 0
}
