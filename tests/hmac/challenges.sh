#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Endpoint challenges declared as data: whk listen, standing in for the
# app, answers each one as the provider's documentation says (checked here
# with curl and OpenSSL's command line), and whk test sends each one and
# passes against that stand-in, then fails against an endpoint that
# answers wrongly.
# shellcheck source=../flow/lib.sh
source "$(dirname "$0")/../flow/lib.sh"

export CHALLENGE_SECRET=challenge-secret-7f3a
export META_VERIFY_TOKEN=meatyhamhock

# hmac HASH ENCODING MESSAGE: the HMAC of MESSAGE keyed with the secret.
hmac() {
  local out
  out=$(printf '%s' "$3" | openssl dgst "-$1" -hmac "$CHALLENGE_SECRET" -binary |
        if [ "$2" = hex ]; then od -An -tx1 | tr -d ' \n'; else base64 -w0; fi)
  printf '%s' "$out"
}

# get NAME URL [CURL ARGS...]: fetches URL into body, headers into head.
get() {
  local name=$1
  shift
  checks=$((checks + 1))
  if ! curl -sS -o body -D head "$@" >curl.out 2>&1; then
    fail "$name: curl failed: $(cat curl.out)"
  fi
}

status_of() { sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' head; }

# Dropbox: GET ?challenge= comes back as text/plain, with nosniff.
start_listen dropbox.log -p dropbox --secret-env CHALLENGE_SECRET --capture dropbox.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
get dropbox "$base?challenge=AbC123xyz"
expect_equal "$(status_of)" 200 "dropbox challenge status"
expect_equal "$(cat body)" AbC123xyz "dropbox challenge body"
expect_in head "text/plain" "dropbox challenge content type"
expect_in head "X-Content-Type-Options: nosniff" "dropbox challenge nosniff"
expect_status 0 "whk test dropbox" "$WHK" test -p dropbox --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "challenge challenge" "whk test dropbox reports the challenge"
stop_listen

# X: the CRC answer is sha256= and the base64 HMAC of crc_token.
start_listen twitter.log -p twitter --secret-env CHALLENGE_SECRET --capture twitter.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
get twitter "$base?crc_token=crc-token-42&nonce=7"
expect_equal "$(status_of)" 200 "twitter crc status"
expect_equal "$(node -e 'console.log(JSON.parse(require("fs").readFileSync("body","utf8")).response_token)')" \
  "sha256=$(hmac sha256 base64 crc-token-42)" "twitter crc response_token"
expect_status 0 "whk test twitter" "$WHK" test -p twitter --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "challenge crc" "whk test twitter reports the crc"
stop_listen
expect_in twitter.log "not applicable: the 'crc' challenge is sent unsigned" "listen logs the crc as unsigned"
expect_equal "$(tail -n 1 twitter.jsonl | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).challenge)')" \
  crc "the crc record names its challenge"
expect_status 0 "verify passes over the crc record" \
  "$WHK" verify -p twitter --secret-env CHALLENGE_SECRET twitter.jsonl
expect_in err "nor an unsigned challenge (1 record after it skipped" "verify names the skipped crc"
crc_id=$(tail -n 1 twitter.jsonl | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).id)')
expect_status 1 "verify of the crc record itself" \
  "$WHK" verify -p twitter --secret-env CHALLENGE_SECRET --record "$crc_id" twitter.jsonl
expect_in out "unsigned 'crc' challenge, which carries no signature" "verify explains the crc record"

# Meta: hub.challenge is echoed only for the right verify token.
start_listen whatsapp.log -p whatsapp --secret-env CHALLENGE_SECRET --capture whatsapp.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
get meta "$base?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock"
expect_equal "$(status_of)" 200 "meta challenge status"
expect_equal "$(cat body)" 1158201444 "meta challenge body"
get meta-wrong "$base?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=other"
expect_equal "$(status_of)" 403 "meta challenge with a wrong verify token"
expect_status 0 "whk test whatsapp" "$WHK" test -p whatsapp --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "challenge hub-challenge" "whk test whatsapp reports the challenge"
stop_listen

# Zoom: a signed endpoint.url_validation gets plainToken and its HMAC.
start_listen zoom.log -p zoom --secret-env CHALLENGE_SECRET --capture zoom.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
zbody='{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}'
zts=$(date +%s)
get zoom "$base" -H 'Content-Type: application/json' -H "x-zm-request-timestamp: $zts" \
  -H "x-zm-signature: v0=$(hmac sha256 hex "v0:$zts:$zbody")" --data-binary "$zbody"
expect_equal "$(status_of)" 200 "zoom validation status"
expect_equal "$(node -e 'const r=JSON.parse(require("fs").readFileSync("body","utf8"));console.log(r.plainToken+" "+r.encryptedToken)')" \
  "qgg8vlvZRS6UYooatFL8Aw $(hmac sha256 hex qgg8vlvZRS6UYooatFL8Aw)" "zoom validation answer"
get zoom-unsigned "$base" -H 'Content-Type: application/json' --data-binary "$zbody"
expect_equal "$(status_of)" 403 "zoom validation without a signature"
expect_status 0 "whk test zoom" "$WHK" test -p zoom --target "$base" --secret-env CHALLENGE_SECRET
stop_listen

# Xero: 200 for a correctly signed payload and 401 for any other.
start_listen xero.log -p xero --secret-env CHALLENGE_SECRET --capture xero.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
xbody='{"events":[],"lastEventSequence":0,"firstEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}'
get xero "$base" -H 'Content-Type: application/json' -H "x-xero-signature: $(hmac sha256 base64 "$xbody")" --data-binary "$xbody"
expect_equal "$(status_of)" 200 "xero intent to receive, signed"
get xero-bad "$base" -H 'Content-Type: application/json' -H 'x-xero-signature: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' --data-binary "$xbody"
expect_equal "$(status_of)" 401 "xero intent to receive, wrongly signed"
expect_status 0 "whk test xero" "$WHK" test -p xero --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "challenge intent-to-receive, forged" "whk test xero sends the forged copy"
stop_listen

# Twitch: the verification message's challenge comes back as text.
start_listen twitch.log -p twitch --secret-env CHALLENGE_SECRET --capture twitch.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
tbody='{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2"}}'
tid=e76c6bd4-55c9-4987-8304-da1588d8988b
tts=$(date -u +%Y-%m-%dT%H:%M:%S.123456789Z)
get twitch "$base" -H 'Content-Type: application/json' -H 'Twitch-Eventsub-Message-Type: webhook_callback_verification' \
  -H "Twitch-Eventsub-Message-Id: $tid" -H "Twitch-Eventsub-Message-Timestamp: $tts" \
  -H "Twitch-Eventsub-Message-Signature: sha256=$(hmac sha256 hex "$tid$tts$tbody")" --data-binary "$tbody"
expect_equal "$(status_of)" 200 "twitch verification status"
expect_equal "$(cat body)" pogchamp-kappa-360noscope-vohiyo "twitch verification body"
expect_status 0 "whk test twitch" "$WHK" test -p twitch --target "$base" --secret-env CHALLENGE_SECRET
stop_listen

# Asana: the handshake's X-Hook-Secret is echoed in the answer.
start_listen asana.log -p asana --secret-env CHALLENGE_SECRET --capture asana.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
get asana "$base" -X POST -H 'X-Hook-Secret: b537207f20cbfa02357cf448134da559'
expect_equal "$(status_of)" 200 "asana handshake status"
expect_in head "X-Hook-Secret: b537207f20cbfa02357cf448134da559" "asana handshake header"
expect_status 0 "whk test asana" "$WHK" test -p asana --target "$base" --secret-env CHALLENGE_SECRET
stop_listen

# GoCardless: an invalid signature gets 498 Token Invalid.
start_listen gocardless.log -p gocardless --secret-env CHALLENGE_SECRET --capture gocardless.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
get gocardless-bad "$base" -H 'Content-Type: application/json' -H 'Webhook-Signature: 00' --data-binary '{"events":[]}'
expect_equal "$(status_of)" 498 "gocardless invalid signature status"
expect_status 0 "whk test gocardless" "$WHK" test -p gocardless --target "$base" --secret-env CHALLENGE_SECRET
stop_listen

# Slack: the signed url_verification event gets its challenge back as
# JSON. An unsigned copy is rejected with 403.
start_listen slack.log -p slack --secret-env CHALLENGE_SECRET --capture slack.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
ts=$(date +%s)
sbody='{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}'
get slack "$base" -H 'Content-Type: application/json' -H "X-Slack-Request-Timestamp: $ts" \
  -H "X-Slack-Signature: v0=$(hmac sha256 hex "v0:$ts:$sbody")" --data-binary "$sbody"
expect_equal "$(status_of)" 200 "slack url_verification status"
expect_equal "$(node -e 'console.log(JSON.parse(require("fs").readFileSync("body","utf8")).challenge)')" \
  3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P "slack url_verification challenge"
get slack-unsigned "$base" -H 'Content-Type: application/json' --data-binary "$sbody"
expect_equal "$(status_of)" 403 "slack unsigned url_verification status"
expect_status 0 "whk test slack" "$WHK" test -p slack --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "challenge url_verification" "whk test slack reports the url_verification"
stop_listen

# Discord: a signed PING gets {"type":1}, and a bad signature gets exactly
# 401, because Discord requires both before it saves the endpoint URL.
openssl genpkey -algorithm ed25519 -out discord.pem 2>/dev/null
start_listen discord.log -p discord --key-file discord.pem --capture discord.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
dbody='{"application_id":"1","id":"2","token":"t","type":1,"version":1}'
printf '%s%s' "$ts" "$dbody" >discord.msg
openssl pkeyutl -sign -inkey discord.pem -rawin -in discord.msg -out discord.sig
get discord "$base" -H 'Content-Type: application/json' -H "X-Signature-Timestamp: $ts" \
  -H "X-Signature-Ed25519: $(od -An -tx1 discord.sig | tr -d ' \n')" --data-binary "$dbody"
expect_equal "$(status_of)" 200 "discord ping status"
expect_equal "$(cat body)" '{"type":1}' "discord ping answer"
get discord-forged "$base" -H 'Content-Type: application/json' -H "X-Signature-Timestamp: $ts" \
  -H "X-Signature-Ed25519: $(printf '%0128d' 0)" --data-binary "$dbody"
expect_equal "$(status_of)" 401 "discord forged ping status"
expect_status 0 "whk test discord" "$WHK" test -p discord --target "$base" --key-file discord.pem
expect_in out "challenge ping, forged" "whk test discord reports the forged ping"
stop_listen
expect_in discord.log "rejected with 401" "the summary names Discord's status"

# An endpoint that answers challenges wrongly fails whk test: a Dropbox
# stand-in gets X's CRC, which it does not know.
start_listen wrong.log -p dropbox --secret-env CHALLENGE_SECRET --capture wrong.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
expect_status 1 "whk test twitter against a dropbox stand-in" \
  "$WHK" test -p twitter --target "$base" --secret-env CHALLENGE_SECRET --no-probes
expect_in out "challenge crc" "the failed crc is reported"
expect_status 1 "whk test twitter --json against a dropbox stand-in" \
  "$WHK" test -p twitter --target "$base" --secret-env CHALLENGE_SECRET --no-probes --json
cp out crc.json
expect_status 0 "the crc check is of kind challenge" node -e '
  const r = JSON.parse(require("fs").readFileSync("crc.json", "utf8"));
  const crc = r.checks.find((c) => c.name === "challenge crc");
  process.exit(crc && crc.kind === "challenge" && !crc.passed ? 0 : 1);'
expect_status 0 "latencies print without float noise" node -e '
  const text = require("fs").readFileSync("crc.json", "utf8");
  process.exit(/"latency_ms": [0-9.]{14,}/.test(text) ? 1 : 0);'
stop_listen

# Discord's forged PING must get 401, and a GitHub stand-in returns 403.
start_listen wrong-status.log -p github --secret-env CHALLENGE_SECRET --capture wrong-status.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
expect_status 1 "whk test discord against a github stand-in" \
  "$WHK" test -p discord --target "$base" --key-file discord.pem --no-probes
expect_in out "the provider requires 401" "the forged ping's status is reported"
stop_listen

# Without the variable a Meta challenge is skipped, and says why.
start_listen skip.log -p whatsapp --secret-env CHALLENGE_SECRET --capture skip.jsonl --no-sync
base=http://127.0.0.1:$LISTEN_PORT/webhooks
expect_status 0 "whk test whatsapp without META_VERIFY_TOKEN" \
  env -u META_VERIFY_TOKEN "$WHK" test -p whatsapp --target "$base" --secret-env CHALLENGE_SECRET
expect_in out "set META_VERIFY_TOKEN" "the skipped challenge names the variable"
stop_listen

finish
