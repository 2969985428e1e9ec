#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk listen: stand-in answers, verification on the raw target, 403, 413,
# duplicates, the capture log, forwarding (to a second whk listen as the
# app), 502 for an app that is down or misbehaves (upstream.js), clean
# stops on SIGTERM, SIGINT and SIGHUP, and the warnings and errors it prints.
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
expect_in listen.log "7 deliveries (4 valid, 3 invalid, 0 not applicable), 1 duplicate, 3 rejected with 403, 2 too large (413)" "summary counts"
expect_in listen.log "captured 7 records in .whk/captures.jsonl" "capture count"
expect_equal "$(wc -l <.whk/captures.jsonl)" 7 "one line per delivery"

# A closed terminal (SIGHUP) stops the server as SIGTERM does.
start_listen hup.log -p twilio --public-url "$PUBLIC" --capture hup.jsonl
# Two different Content-Length headers could frame the body either way:
# 400, not captured.
node -e '
  const s = require("net").connect(Number(process.argv[1]), "127.0.0.1", () =>
    s.write("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n" +
            "Content-Length: 7\r\n\r\nabcdefg"));
  let text = "";
  s.on("data", (d) => { text += d; });
  s.on("close", () => { process.stdout.write(text); process.exit(0); });
  setTimeout(() => { process.stdout.write(text); process.exit(0); }, 5000);' \
  "$LISTEN_PORT" >two-lengths.out
expect_in two-lengths.out "HTTP/1.1 400 Bad Request" "two lengths get 400"
expect_in two-lengths.out "two different Content-Length headers" "two lengths explained"
stop_listen HUP
expect_in hup.log "stopped after" "summary on SIGHUP"
expect_in hup.log "1 malformed (400)" "two lengths counted"
expect_equal "$(cat hup.jsonl 2>/dev/null | wc -l)" 0 "two lengths not captured"

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
expect_in proxy2.log "1 upstream error (502/504)" "upstream error counted"

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

# --forward takes a base URL only, and never shows its password. A
# listener that starts anyway is stopped after 10 s (status 124).
expect_status 2 "forward with query" timeout 10 "$WHK" listen -p twilio \
  --port 0 --forward 'http://127.0.0.1:3460?x=1'
expect_in err "--forward 'http://127.0.0.1:3460?x=1' has a query" "query rejected"
expect_status 2 "forward with fragment" timeout 10 "$WHK" listen -p twilio \
  --port 0 --forward 'http://127.0.0.1:3460/#top'
expect_in err "has a fragment" "fragment rejected"
expect_status 2 "forward to another scheme" timeout 10 "$WHK" listen -p twilio \
  --port 0 --forward ftp://127.0.0.1:3460
expect_in err "--forward 'ftp://127.0.0.1:3460' is not an http:// or https:// URL" "scheme rejected"
expect_status 2 "forward password hidden in errors" timeout 10 "$WHK" listen \
  -p twilio --port 0 --forward 'http://user:s3cretpw@127.0.0.1:3460?x=1'
expect_in err "'http://user:***@127.0.0.1:3460?x=1'" "password replaced"
expect_not_in err "s3cretpw" "password not shown"

# One delivery: the summary counts in the singular; --provider is optional.
expect_status 0 "listen help" "$WHK" listen --help
expect_in out "usage: whk listen [--provider NAME] [--port PORT]" "usage line"
start_listen one.log -p twilio --public-url "$PUBLIC" --capture one.jsonl
eval "$(signed_curl "$URL" inbound-sms "$LISTEN_PORT") -o /dev/null"
stop_listen TERM
expect_in one.log "1 delivery (1 valid, 0 invalid, 0 not applicable), 0 duplicates," "one delivery"
expect_in one.log "captured 1 record in one.jsonl" "one record"

# A misbehaving app: each failure is logged for what the app did.
node "$WHK_TEST_SOURCE_DIR/flow/upstream.js" >upstream.port &
listen_pids+=("$!")
for i in $(seq 100); do [ -s upstream.port ] && break; sleep 0.1; done
up=$(head -1 upstream.port)
start_listen bad.log -p twilio --no-enforce --capture bad.jsonl \
  --forward "http://user:s3cretpw@127.0.0.1:$up"
expect_in bad.log "forwarding to http://user:***@127.0.0.1:$up" "password hidden at start"
for path in close reset partial garbage; do
  post "app $path" -X POST "http://127.0.0.1:$LISTEN_PORT/$path" --data a=1
  expect_equal "$code" 502 "$path gives 502"
done
expect_in body "/garbage sent a response that is not valid HTTP" "garbage explained"
expect_in body "http://user:***@127.0.0.1:$up/garbage" "password hidden in the 502 body"
post "app endless" -X POST "http://127.0.0.1:$LISTEN_PORT/endless" --data a=1
expect_equal "$code" 502 "endless gives 502"
expect_in body "/endless sent a response body larger than 16 MiB" "endless body explained"
# SIGINT before the app responds: cancelled, no upstream error.
curl -sS -o /dev/null -X POST "http://127.0.0.1:$LISTEN_PORT/hang" --data a=1 \
  2>hang.err &
hang_pid=$!
for i in $(seq 100); do grep -q '^/hang' requests.log 2>/dev/null && break; sleep 0.1; done
stop_listen INT
wait "$hang_pid"
expect_in hang.err "Empty reply from server" "client got no answer"
labels=("close:502 (app closed the connection)" "reset:502 (app closed the connection)"
        "partial:502 (incomplete response from the app)"
        "garbage:502 (invalid response from the app)"
        "endless:502 (response from the app too large)"
        "hang:no response (cancelled by the shutdown)")
for label in "${labels[@]}"; do
  grep -F "POST /${label%%:*} " bad.log >line
  expect_in line "-> ${label#*:}" "/${label%%:*} logged"
done
expect_in bad.log "forwarded 0 to http://user:***@127.0.0.1:$up, 5 upstream errors (502/504), 1 cancelled by the shutdown" "summary counts"
expect_not_in bad.log "s3cretpw" "password not in the log"
expect_not_in bad.log.err "s3cretpw" "password not in the warnings"
expect_not_in bad.log.err "libmicrohttpd" "a deliberate close is not reported"

# A response slower than the provider's timeout: the declared timeout,
# the provider's outcome and its fix. Slack declares 3 s; the app takes
# 3.2 s.
export SLACK_SIGNING_SECRET=0123456789abcdef0123456789abcdef
start_listen slow.log -p slack --no-enforce --capture slow.jsonl \
  --forward "http://127.0.0.1:$up"
post "slow app" -X POST "http://127.0.0.1:$LISTEN_PORT/slow" --data '{}'
expect_equal "$code" 200 "slow answer relayed"
stop_listen TERM
expect_in slow.log.err "s, longer than Slack's declared timeout of 3 s; past that timeout, http_timeout: the Events API retries" "slow warning"
expect_in slow.log.err "; fix: acknowledge at once (ack() in Bolt)" "slow fix"
expect_in slow.log "1 slower than the provider's timeout" "slow counted"

# A capture log that cannot be written: the stand-in responds 500, so that
# the provider retries, and an app's response is still relayed.
if [ -c /dev/full ]; then
  start_listen full.log -p twilio --public-url "$PUBLIC" --capture /dev/full
  eval "$(signed_curl "$URL" inbound-sms "$LISTEN_PORT") -o body -w '%{http_code}' > result"
  expect_equal "$(cat result)" 500 "stand-in answers 500 when not captured"
  expect_in body "could not be written to the capture log" "500 body says why"
  stop_listen TERM
  expect_in full.log.err "cannot append to /dev/full: No space left on device; deliveries get 500" "capture error"
  expect_in full.log "-> 500 (not captured)" "500 logged"
  start_listen fullfwd.log -p twilio --public-url "$PUBLIC" --capture /dev/full \
    --forward "http://127.0.0.1:$up"
  eval "$(signed_curl "$URL" inbound-sms "$LISTEN_PORT") -o /dev/null -w '%{http_code}' > result"
  expect_equal "$(cat result)" 200 "app's answer relayed when not captured"
  stop_listen TERM
  expect_in fullfwd.log.err "deliveries are still forwarded, but not captured" "forward capture error"
fi

# Another program on [::1]:PORT: whk listen serves 127.0.0.1 and warns.
if node -e 'require("net").createServer().on("error", () => process.exit(1))
    .listen(0, "::1", function () { this.close(); })' 2>/dev/null; then
  node -e 'const s = require("net").createServer().listen(0, "::1",
    () => console.log(s.address().port)); setTimeout(() => process.exit(0), 30000)' >v6.port &
  listen_pids+=("$!")
  for i in $(seq 100); do [ -s v6.port ] && break; sleep 0.1; done
  port6=$(cat v6.port)
  start_listen v6.log -p twilio --capture v6.jsonl --port "$port6"
  stop_listen TERM
  expect_in v6.log.err "cannot listen on [::1]:$port6: Address already in use (another program listens there); serving 127.0.0.1 only" "::1 warning"
  expect_not_in v6.log "and [::1]" "::1 not claimed"
else
  echo "skipping the ::1 checks: no IPv6 loopback"
fi

# Connections cut by the shutdown: each message keeps whk's prefix, and
# the repeats are counted on one line.
start_listen cut.log -p twilio --capture cut.jsonl --public-url "$PUBLIC"
node -e 'const net = require("net"); let open = 0;
  for (let i = 0; i < 40; i++) {
    const s = net.connect(Number(process.argv[1]), "127.0.0.1", () => {
      s.write("POST /x HTTP/1.1\r\nHost: a\r\n", () => {
        if (++open === 40) require("fs").writeFileSync("cut.ready", "");
      });
    });
    s.on("error", () => {});
  }
  setTimeout(() => process.exit(0), 10000);' "$LISTEN_PORT" &
cut_pid=$!
for i in $(seq 100); do [ -e cut.ready ] && break; sleep 0.1; done
sleep 0.3
stop_listen INT
kill "$cut_pid" 2>/dev/null
wait "$cut_pid" 2>/dev/null
grep -v '^whk: ' cut.log.err >unprefixed
expect_equal "$(wc -l <unprefixed)" 0 "every message prefixed"
expect_equal "$(grep -c 'libmicrohttpd' cut.log.err)" 2 "repeats on one line"
expect_in cut.log.err "(39 more times)" "repeats counted"

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
