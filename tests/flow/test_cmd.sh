#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk test against whk listen as the endpoint: all checks pass; a receiver
# that accepts anything fails the forgery probes; a receiver validating
# against the local URL is diagnosed; an unreachable target exits 3.
source "$(dirname "$0")/lib.sh"

start_listen good.log -p twilio --public-url "$PUBLIC" --capture good.jsonl
target=http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms

expect_status 0 "all checks pass" "$WHK" test -p twilio --target "$target" \
  --public-url "$PUBLIC"
for name in inbound-sms inbound-mms incoming-call message-status \
  "forged signature" "missing signature"; do
  expect_in out "$name" "row for $name"
done
expect_in out "result: all 6 checks passed" "result line"
expect_in out "well-formed XML <Response>" "TwiML parsed"
expect_not_in out "FAIL" "no failing row"
expect_in good.log "POST /webhooks/twilio/sms/status valid" "status sample went to /status"

expect_status 0 "json report" "$WHK" test -p twilio --target "$target" \
  --public-url "$PUBLIC" --json
cp out report.json
expect_status 0 "json fields" node -e '
  const r = JSON.parse(require("fs").readFileSync("report.json", "utf8"));
  const ok = r.passed === 6 && r.failed === 0 && r.checks.length === 6 &&
    r.checks[4].kind === "probe" && r.checks[4].status === 403 &&
    r.public_url === "https://twilio-dev.example.com/webhooks/twilio/sms";
  process.exit(ok ? 0 : 1);'

expect_status 0 "one sample" "$WHK" test -p twilio --target "$target" \
  --public-url "$PUBLIC" --sample message-status
expect_in out "result: all 3 checks passed" "one sample and two probes"
expect_status 2 "unknown sample" "$WHK" test -p twilio --target "$target" \
  --sample nosuch
expect_in err "no sample 'nosuch'" "sample named"

# A target without a path gets whk.json's path.
"$WHK" init -p twilio --port "$LISTEN_PORT" --path /webhooks/twilio/sms \
  --public-url "$PUBLIC" >/dev/null
expect_status 0 "defaults from whk.json" "$WHK" test
expect_in out "testing http://localhost:$LISTEN_PORT/webhooks/twilio/sms, signed for $PUBLIC/webhooks/twilio/sms" "whk.json target"
expect_status 0 "target without path" "$WHK" test --target "http://127.0.0.1:$LISTEN_PORT"
expect_in out "testing http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms" "path appended"
rm whk.json
stop_listen TERM

# A receiver that accepts anything fails the probes.
start_listen open.log -p twilio --public-url "$PUBLIC" --no-enforce --capture open.jsonl
expect_status 1 "forgery accepted" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$LISTEN_PORT/webhooks/twilio/sms" --public-url "$PUBLIC"
expect_in out "forged signature     FAIL" "forged row fails"
expect_in out "missing signature    FAIL" "missing row fails"
expect_in out "the endpoint accepted a forged request" "forgery message"
expect_in out "fix: validate every request with validateRequest" "provider's fix"
expect_in out "result: 2 of 6 checks failed" "result counts failures"
stop_listen TERM

# A receiver that validates against its local URL is diagnosed.
port=$(closed_port)
start_listen local.log -p twilio --port "$port" --capture local.jsonl \
  --public-url "http://localhost:$port"
local_target=http://localhost:$port/webhooks/twilio/sms
expect_status 1 "wrong URL diagnosed" "$WHK" test -p twilio \
  --target "$local_target" --public-url "$PUBLIC" --sample inbound-sms
expect_in out "the endpoint answered 403" "status problem"
expect_in out "signed for $local_target, so it validates against that URL instead of $PUBLIC/webhooks/twilio/sms" "URL cause"
expect_in out "fix: validate against the exact public URL" "URL fix"
expect_in out "response body:" "body shown"
expect_in out "rejected, the signature is invalid" "endpoint's body shown"
stop_listen TERM

# Unreachable: exit 3 naming the URL.
port=$(closed_port)
expect_status 3 "unreachable" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$port/hooks" --public-url "$PUBLIC"
expect_in err "cannot connect to http://127.0.0.1:$port/hooks" "URL named"
expect_status 2 "no target" "$WHK" test -p twilio
expect_in err "no endpoint to test" "missing target explained"
expect_status 2 "bad timeout" "$WHK" test -p twilio --target "$target" --timeout-ms 0
expect_status 3 "secret unset" env -u TWILIO_AUTH_TOKEN "$WHK" test -p twilio \
  --target "http://127.0.0.1:$port/hooks"

finish
