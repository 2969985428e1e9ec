#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's quick start, with no app and no account: whk init, whk listen
# as the stand-in receiver, whk test against it, whk verify on what it
# captured. Port 3000 is replaced by a free one.
source "$(dirname "$0")/lib.sh"

port=$(closed_port)
expect_status 0 "init" "$WHK" init --provider twilio --port "$port" \
  --path /webhooks/twilio/sms --public-url https://twilio-dev.example.com
"$WHK" listen >listen.log 2>&1 &
LISTEN_PID=$!
listen_pids+=("$LISTEN_PID")
for i in $(seq 100); do grep -q "listening on" listen.log && break; sleep 0.1; done
expect_in listen.log "standing in for the app" "listen stands in"

expect_status 0 "test" "$WHK" test
expect_in out "result: all 6 checks passed" "every check passes"
expect_status 0 "verify" "$WHK" verify
expect_in out "valid:" "captured delivery verifies"
expect_in err "using capture record" "the last record was used"
stop_listen INT
expect_in listen.log "captured 6 records in .whk/captures.jsonl" "summary"

finish
