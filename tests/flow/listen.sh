#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk listen: stand-in answers, verification on the raw target, 403, 413,
# duplicates, the capture log, forwarding (to a second whk listen as the
# app), 502 for an app that is down, and clean stops on SIGTERM and SIGINT.
source "$(dirname "$0")/lib.sh"

URL=$PUBLIC/webhooks/twilio/sms
post() { # post NAME CURL-ARGS...: status in code, body in body
  local name=$1
  shift
  checks=$((checks + 1))
  code=$(curl -sS -o body -w '%{http_code}' "$@") || fail "$name: curl failed"
}
signed_curl() { # signed_curl URL SAMPLE PORT: the curl command whk sign prints
  "$WHK" sign -p twilio --url "$1" --sample "$2" --curl "http://127.0.0.1:$3"
}

start_listen listen.log -p twilio --public-url "$PUBLIC" --max-body 2K
expect_in listen.log "standing in for the app: 200 text/xml" "banner"
expect_in listen.log "capturing to .whk/captures.jsonl" "capture path"

eval "$(signed_curl "$URL" inbound-sms "$LISTEN_PORT") -o body -w '%{http_code} %{content_type}' > result"
expect_equal "$(cat result)" "200 text/xml" "valid sample answered"
expect_equal "$(cat body)" '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' "stand-in TwiML"

# The same delivery again is a duplicate; a status callback reuses the
# MessageSid with another body and is not.
eval "$(signed_curl "$URL" inbound-sms "$LISTEN_PORT") -o /dev/null"
eval "$(signed_curl "$URL" message-status "$LISTEN_PORT") -o /dev/null -w '%{http_code}' > result"
expect_equal "$(cat result)" "200" "status callback at /status"

# Verification uses the raw target: an encoded query stays encoded.
eval "$(signed_curl "$URL?note=a%2Fb%20c&x=%7E" inbound-mms "$LISTEN_PORT") -o /dev/null -w '%{http_code}' > result"
expect_equal "$(cat result)" "200" "encoded query verified raw"

# Invalid and unsigned deliveries get 403.
post "unsigned" -X POST "http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms" \
  --data 'MessageSid=SMx&Body=hi'
expect_equal "$code" 403 "unsigned rejected"
expect_in body "no X-Twilio-Signature header" "403 body says why"
post "forged" -X POST "http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms" \
  -H 'X-Twilio-Signature: AAAAAAAAAAAAAAAAAAAAAAAAAAA=' --data 'MessageSid=SMy'
expect_equal "$code" 403 "forged rejected"

# Bodies over --max-body: 413 by Content-Length, and for a chunked body.
head -c 5000 /dev/zero | tr '\0' a >big
post "large" -X POST "http://127.0.0.1:$LISTEN_PORT/big" --data-binary @big
expect_equal "$code" 413 "large body by Content-Length"
post "large chunked" -X POST -H 'Transfer-Encoding: chunked' \
  "http://127.0.0.1:$LISTEN_PORT/big" --data-binary @big
expect_equal "$code" 413 "large chunked body"
post "after 413" -X POST "http://127.0.0.1:$LISTEN_PORT/small" --data 'a=1'
expect_equal "$code" 403 "server still answers after 413s"

stop_listen TERM
log=listen.log
expect_in listen.log "valid key=SM1f0e8ae6ade43cb3c0ce4525424e404f new -> 200 (stand-in)" "log line"
expect_in listen.log "key=SM1f0e8ae6ade43cb3c0ce4525424e404f duplicate" "duplicate logged"
expect_not_in listen.log "key=SMy new" "a forged delivery is not counted as new"
expect_not_in listen.log "key=SMy duplicate" "a forged delivery is not a duplicate"
expect_in listen.log "/webhooks/twilio/sms?note=a%2Fb%20c&x=%7E valid" "raw target logged"
expect_in listen.log "POST /big -> 413" "413 logged"
expect_in listen.log "stopped after" "summary on SIGTERM"
expect_in listen.log "7 deliveries (4 valid, 3 invalid, 0 not applicable), 1 duplicates, 3 rejected with 403, 2 too large (413)" "summary counts"
expect_in listen.log "captured 7 records in .whk/captures.jsonl" "capture count"
expect_equal "$(wc -l <.whk/captures.jsonl)" 7 "one line per delivery"

# Records are byte-exact and verify on their own.
"$WHK" show twilio --sample inbound-sms | head -c -1 >sample.body
first=$(head -1 .whk/captures.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/')
expect_status 0 "verify first record" "$WHK" verify -p twilio --record "$first" \
  .whk/captures.jsonl
expect_in out "valid:" "record verifies"
node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8").split("\n")[0]);
  process.stdout.write(r.body)' <.whk/captures.jsonl >captured.body
expect_status 0 "captured body byte-exact" cmp captured.body sample.body

# Forwarding: a second listener plays the app.
start_listen app.log -p twilio --public-url "$PUBLIC" --capture app.jsonl
app_port=$LISTEN_PORT
app_pid=$LISTEN_PID
start_listen proxy.log -p twilio --public-url "$PUBLIC" \
  --forward "http://127.0.0.1:$app_port" --capture proxy.jsonl
eval "$(signed_curl "$URL?q=%41" inbound-sms "$LISTEN_PORT") -o body -w '%{http_code} %{content_type}' > result"
expect_equal "$(cat result)" "200 text/xml" "forwarded and answered by the app"
expect_in app.log "POST /webhooks/twilio/sms?q=%41 valid" "app got the raw target and a valid signature"
post "forward unsigned" -X POST "http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms" --data 'a=1'
expect_equal "$code" 403 "invalid not forwarded"
expect_equal "$(wc -l <app.jsonl)" 1 "app saw only the valid one"
stop_listen INT
expect_in proxy.log "forwarded 1 to http://127.0.0.1:$app_port" "forward summary on SIGINT"
LISTEN_PID=$app_pid
stop_listen TERM

# --no-enforce forwards invalid ones; a stopped app gives 502.
start_listen app2.log -p twilio --public-url "$PUBLIC" --capture app2.jsonl --no-enforce
app_pid=$LISTEN_PID
start_listen proxy2.log -p twilio --public-url "$PUBLIC" --no-enforce \
  --forward "http://127.0.0.1:$LISTEN_PORT" --capture proxy2.jsonl
post "forward unenforced" -X POST "http://127.0.0.1:$LISTEN_PORT/x" --data 'a=1'
expect_equal "$code" 200 "invalid forwarded with --no-enforce"
proxy_pid=$LISTEN_PID
LISTEN_PID=$app_pid
stop_listen TERM
LISTEN_PID=$proxy_pid
post "app down" -X POST "http://127.0.0.1:$LISTEN_PORT/x" --data 'a=1'
expect_equal "$code" 502 "app down gives 502"
expect_in body "is the app running" "502 body says so"
stop_listen TERM
expect_in proxy2.log "1 upstream errors (502/504)" "upstream error counted"

# Environment errors: secret unset, port taken.
expect_status 3 "secret unset" env -u TWILIO_AUTH_TOKEN "$WHK" listen -p twilio --port 0
expect_in err "TWILIO_AUTH_TOKEN is not set" "secret named"
start_listen busy.log -p twilio --capture busy.jsonl
expect_status 3 "port in use" "$WHK" listen -p twilio --port "$LISTEN_PORT"
expect_in err "cannot listen on 127.0.0.1:$LISTEN_PORT" "port named"
stop_listen TERM
expect_status 2 "bad max body" "$WHK" listen -p twilio --max-body 1X
expect_in err "--max-body '1X'" "max body named"
expect_status 2 "bad forward URL" "$WHK" listen -p twilio --forward localhost:3000
expect_in err "--forward 'localhost:3000'" "forward URL named"

# whk.json: without --forward, whk listen stands in on the app's port.
port=$(closed_port)
"$WHK" init -p twilio --port "$port" --path /hooks --public-url "$PUBLIC" >/dev/null
"$WHK" listen >json.log 2>&1 &
LISTEN_PID=$!
listen_pids+=("$LISTEN_PID")
for i in $(seq 100); do grep -q "listening on" json.log && break; sleep 0.1; done
expect_in json.log "listening on http://127.0.0.1:$port" "whk.json port used"
expect_in json.log "verifying against $PUBLIC" "whk.json public URL used"
stop_listen TERM

finish
