#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk test against whk listen as the endpoint: all checks pass, and a
# receiver that accepts anything fails the forgery probes. A receiver that
# validates against the local URL is diagnosed, and its probes are marked.
# A missing route and a redirect are named (upstream.js), and an
# unreachable target exits 3.
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
expect_status 0 "one check" "$WHK" test -p twilio --target "$target" \
  --public-url "$PUBLIC" --sample message-status --no-probes
expect_in out "result: 1 check passed" "singular result"
expect_status 0 "test help" "$WHK" test --help
expect_in out "usage: whk test [--provider NAME]" "provider optional in usage"
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
# Probes and diagnosis requests carry X-Whk-Test: probe; the sample does
# not, so 'whk replay' picks the sample by default.
expect_status 0 "records marked" node -e '
  const records = require("fs").readFileSync("local.jsonl", "utf8").trim()
    .split("\n").map((line) => JSON.parse(line));
  const marked = (r) => r.headers.some(([n, v]) => n === "X-Whk-Test" && v === "probe");
  const plain = records.filter((r) => !marked(r));
  // forged and missing signature, then at least one diagnosis request
  const ok = plain.length === 1 && records.length >= 4 &&
    records.filter(marked).length === records.length - 1 &&
    plain[0].target === "/webhooks/twilio/sms" && !marked(records[2]) &&
    marked(records[records.length - 1]);
  require("fs").writeFileSync("sample.id", plain[0].id);
  process.exit(ok ? 0 : 1);'
expect_status 0 "verify passes over probes" "$WHK" verify -p twilio \
  --url "$PUBLIC/webhooks/twilio/sms" local.jsonl
expect_in err "using capture record $(cat sample.id), the last in local.jsonl that is neither a probe of whk test nor an unsigned challenge" "verify names the sample"
expect_status 1 "replay passes over probes" "$WHK" replay --capture local.jsonl \
  --target "http://127.0.0.1:$port"
expect_in out "replayed $(cat sample.id) (POST /webhooks/twilio/sms)" "sample replayed"
expect_in err "replaying $(cat sample.id), the last delivery in local.jsonl; the" "probes passed over"
expect_in err "after it are probes of whk test (header X-Whk-Test)" "header named"
stop_listen TERM

# A route that is missing or redirects: the samples fail with that cause,
# and the probes are inconclusive, not rejections.
node "$WHK_TEST_SOURCE_DIR/flow/upstream.js" >upstream.port &
listen_pids+=("$!")
for i in $(seq 100); do [ -s upstream.port ] && break; sleep 0.1; done
up=$(head -1 upstream.port)
expect_status 1 "missing route" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$up/missing" --public-url "$PUBLIC" --json
cp out missing.json
expect_status 0 "missing route report" node -e '
  const r = JSON.parse(require("fs").readFileSync("missing.json", "utf8"));
  const route = "nothing answers POST at this path (404 Not Found); " +
    "check the app\x27s route, --target or whk.json\x27s path";
  const ok = r.failed === r.checks.length && r.checks.every((c) =>
    c.status === 404 && c.cause === route && !c.passed &&
    (c.kind === "sample" || c.problems[0].startsWith("inconclusive: it answered 404")));
  process.exit(ok ? 0 : 1);'
expect_not_in out "the endpoint rejects a request signed" "no signature cause"
expect_not_in out '"summary": "rejected"' "no probe counted as a rejection"
expect_status 1 "method not allowed" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$up/get-only" --public-url "$PUBLIC" --sample inbound-sms
expect_in out "cause: nothing answers POST at this path (405 Method Not Allowed, allowed: GET)" "405 cause"
expect_status 1 "redirect" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$up/redirect" --public-url "$PUBLIC" --sample inbound-sms
expect_in out "cause: the endpoint redirects (308) to /moved; most providers do not follow redirects" "redirect cause"
expect_in out "missing signature    FAIL   308" "redirect is no rejection"
expect_status 1 "app that fails on every request" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$up/error" --public-url "$PUBLIC" --sample inbound-sms
expect_in out "it answered 500 to a request with a signature made with another secret; reject it with 4xx" "500 to a forgery fails"
expect_status 1 "endless response" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$up/endless" --public-url "$PUBLIC" --sample inbound-sms
expect_in out "/endless sent a response body larger than 16 MiB" "endless response named"

# Unreachable: exit 3 naming the URL.
port=$(closed_port)
expect_status 3 "unreachable" "$WHK" test -p twilio \
  --target "http://127.0.0.1:$port/hooks" --public-url "$PUBLIC"
expect_in err "cannot connect to http://127.0.0.1:$port/hooks" "URL named"
expect_status 2 "no target" "$WHK" test -p twilio
expect_in err "no endpoint to test" "missing target explained"
expect_status 2 "target of another scheme" "$WHK" test -p twilio --target ftp://127.0.0.1/x
expect_in err "--target 'ftp://127.0.0.1/x' is not an http:// or https:// URL" "target scheme named"
expect_status 2 "target with a fragment" "$WHK" test -p twilio --target 'http://127.0.0.1:9/x#top'
expect_in err "has a fragment (#...)" "target fragment named"
expect_status 2 "bad timeout" "$WHK" test -p twilio --target "$target" --timeout-ms 0
expect_status 3 "secret unset" env -u TWILIO_AUTH_TOKEN "$WHK" test -p twilio \
  --target "http://127.0.0.1:$port/hooks"

finish
