#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk replay and whk verify on captured records: byte-exact resend, by id
# or the last, an edited or stale record rejected until --resign with a
# note that names the cause, and the errors.
source "$(dirname "$0")/lib.sh"

URL=$PUBLIC/webhooks/twilio/sms
start_listen listen.log -p twilio --public-url "$PUBLIC"
eval "$("$WHK" sign -p twilio --url "$URL?a=%2F" --sample inbound-sms \
  --curl "http://127.0.0.1:$LISTEN_PORT") -o /dev/null"
eval "$("$WHK" sign -p twilio --url "$URL" --sample incoming-call \
  --curl "http://127.0.0.1:$LISTEN_PORT") -o /dev/null"
# Replays are captured too, so they run from a copy of the two records.
cp .whk/captures.jsonl saved.jsonl
first=$(head -1 saved.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/')
last=$(tail -1 saved.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/')

target=http://127.0.0.1:$LISTEN_PORT
expect_status 0 "replay last" "$WHK" replay --last --target "$target" \
  --capture saved.jsonl
expect_in out "replayed $last (POST /webhooks/twilio/sms) to $target/webhooks/twilio/sms: 200" "last replayed"
expect_in out "<Response></Response>" "answer printed"
expect_status 0 "replay by id" "$WHK" replay "$first" --target "$target" \
  --capture saved.jsonl
expect_in out "to $target/webhooks/twilio/sms?a=%2F: 200" "raw target kept"
expect_status 0 "replay json" "$WHK" replay --target "$target" --json
expect_in out '"status": 200' "json status"

# verify reads the record; whk.json supplies the public URL.
expect_status 0 "verify capture" "$WHK" verify -p twilio --record "$first" saved.jsonl
expect_in out "valid:" "record valid"
expect_status 0 "verify default log" "$WHK" verify -p twilio
expect_in err "using capture record" "last record used"

# Edit the body: the old signature no longer matches until --resign.
sed -i '$ s/CallStatus=ringing/CallStatus=completed/' saved.jsonl
expect_status 1 "edited record rejected" "$WHK" replay --target "$target" \
  --capture saved.jsonl
expect_in out ": 403" "403 for the edited body"
expect_in out "(not forwarded; run whk listen" "each body line printed as a line"
expect_in err "the app rejected record $last as captured; a record edited after capture needs --resign" "edit hint"
expect_status 0 "resigned record accepted" "$WHK" replay --target "$target" \
  --resign --public-url "$PUBLIC" --capture saved.jsonl
expect_in err "re-signed record $last for $URL" "resign noted"
expect_status 1 "resigned for another URL" "$WHK" replay --target "$target" \
  --resign --public-url https://other.example.com --capture saved.jsonl
"$WHK" init -p twilio --port "$LISTEN_PORT" --path /webhooks/twilio/sms \
  --public-url "$PUBLIC" >/dev/null
expect_status 0 "whk.json target and URL" "$WHK" replay --resign \
  --capture saved.jsonl
expect_in out "to http://localhost:$LISTEN_PORT/webhooks/twilio/sms: 200" "whk.json port"
stop_listen TERM
expect_in listen.log "duplicate" "replays flagged as duplicates"

# A record whose signed timestamp is now older than Stripe's tolerance:
# the hint names the age and the tolerance, and --resign fixes it.
export STRIPE_WEBHOOK_SECRET=whsec_0123456789abcdef0123456789abcdefAB
start_listen stripe.log -p stripe --public-url "$PUBLIC" --capture stripe.jsonl
then=$(($(date +%s) - 3600))
"$WHK" sign -p stripe --url "$PUBLIC/hooks/stripe" \
  --sample payment-intent-succeeded --timestamp "$then" >stale.sig
"$WHK" show stripe --sample payment-intent-succeeded | head -c -1 >stale.body
node -e '
  const fs = require("fs");
  const [name, value] = fs.readFileSync("stale.sig", "utf8").trim().split(": ");
  const record = { id: "stale-1", provider: "stripe",
    received_at: new Date(Number(process.argv[1]) * 1000).toISOString(),
    method: "POST", target: "/hooks/stripe",
    headers: [["Content-Type", "application/json; charset=utf-8"], [name, value]],
    verdict: "valid", reason: "none", duplicate: false,
    body: fs.readFileSync("stale.body", "utf8") };
  fs.writeFileSync("stale.jsonl", JSON.stringify(record) + "\n");' "$then"
stripe_target=http://127.0.0.1:$LISTEN_PORT
expect_status 1 "stale record rejected" "$WHK" replay --capture stale.jsonl \
  --target "$stripe_target"
expect_in err "a record edited after capture needs --resign, which signs it again now; this one needs it anyway: it was received" "stale hint"
expect_in err "s ago, beyond the 300 s tolerance for Stripe's signed timestamp" "tolerance named"
expect_status 1 "stale record json" "$WHK" replay --capture stale.jsonl \
  --target "$stripe_target" --json
expect_in out '"hint": "the app rejected record stale-1 as captured' "hint in JSON"
expect_status 0 "stale record resigned" "$WHK" replay -p stripe \
  --capture stale.jsonl --target "$stripe_target" --resign
expect_not_in err "needs --resign" "no hint after --resign"
# Without -p, the record's provider chooses the secret, not whk.json's
# only entry (Twilio here).
expect_status 0 "stale record resigned for its provider" "$WHK" replay \
  --capture stale.jsonl --target "$stripe_target" --resign
stop_listen TERM

# Errors.
expect_status 2 "unknown id" "$WHK" replay nosuch --target "$target"
expect_in err "no capture record has id 'nosuch'" "id named"
expect_status 2 "missing log" "$WHK" replay --capture none.jsonl --target "$target"
expect_in err "none.jsonl" "log named"
expect_status 2 "id and --last" "$WHK" replay "$first" --last
echo 'not json' >bad.jsonl
expect_status 2 "malformed log" "$WHK" replay --capture bad.jsonl --target "$target"
expect_in err "line 1" "line named"
port=$(closed_port)
expect_status 3 "unreachable" "$WHK" replay --target "http://127.0.0.1:$port"
expect_in err "cannot connect to http://127.0.0.1:$port/webhooks/twilio/sms" "URL named"

finish
