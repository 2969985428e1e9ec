#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line checks of the Mandrill plugin's bad input and diagnoses:
# the URL as entered versus the one the app receives, malformed and missing
# headers, secrets of the wrong form. Each check states the exit status
# and a phrase of the message it expects.
set -u
: "${WHK:?set WHK to the whk binary}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
failures=0 passes=0

# expect STATUS PHRASE -- COMMAND...: runs COMMAND and checks both.
expect() {
  local want=$1 phrase=$2
  shift 3
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne "$want" ] || ! grep -qF -- "$phrase" <<<"$out"; then
    echo "FAIL: $* -> $status (want $want, '$phrase'):"
    sed 's/^/  /' <<<"$out"
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
  if grep -qE 'Sanitizer|runtime error:' <<<"$out"; then
    echo "FAIL: sanitizer report from $*"
    failures=$((failures + 1))
  fi
}

export MANDRILL_WEBHOOK_KEY=vX3k9QmT2pL7wR4nB8cY1z
url='https://hooks.example.com/webhooks/mandrill'
form='mandrill_events=%5B%7B%22event%22%3A%22send%22%2C%22_id%22%3A%22c0ffee%22%7D%5D'
sig=$("$WHK" sign -p mandrill --url "$url" -d "$form" |
      sed -n 's/^X-Mandrill-Signature: //p')
header="X-Mandrill-Signature: $sig"

expect 0 "matches the HMAC-SHA1 of $url and the 1 sorted" -- \
  "$WHK" verify -p mandrill --url "$url" -d "$form" -H "$header"
expect 1 "the signature matches $url: the path" -- \
  "$WHK" verify -p mandrill --url "$url/" -d "$form" -H "$header"
expect 1 "the signature matches $url: the scheme is https" -- \
  "$WHK" verify -p mandrill --url "${url/https/http}" -d "$form" -H "$header"
expect 1 "does not match" -- \
  "$WHK" verify -p mandrill --url "$url" -d "${form}x" -H "$header"
expect 1 "has no mandrill_events form parameter" -- \
  "$WHK" verify -p mandrill --url "$url" -H 'Content-Type: application/json' \
  -d '[{"event":"send"}]' -H "$header"
expect 1 "is not a base64 HMAC-SHA1 signature" -- \
  "$WHK" verify -p mandrill --url "$url" -d "$form" -H "X-Mandrill-Signature: ${sig%?}"
expect 1 "is not a base64 HMAC-SHA1 signature" -- \
  "$WHK" verify -p mandrill --url "$url" -d "$form" \
  -H "X-Mandrill-Signature: $(printf '%s' "$sig" | od -An -tx1 | tr -d ' \n' | cut -c1-40)"
expect 1 "is not a base64 HMAC-SHA1 signature" -- \
  "$WHK" verify -p mandrill --url "$url" -d "$form" -H "X-Mandrill-Signature: "
expect 1 "has no X-Mandrill-Signature header" -- \
  "$WHK" verify -p mandrill --url "$url" -d "$form"

# Secrets of the wrong form are rejected without being printed.
expect 3 "like a Mailchimp Transactional API key" -- \
  env MANDRILL_WEBHOOK_KEY=md-AbCdEfGhIjKlMnOpQrStUv "$WHK" verify -p mandrill \
  --url "$url" -d "$form" -H "$header"
printf '%s\n' "$MANDRILL_WEBHOOK_KEY" > key-with-newline
expect 3 "newline" -- \
  "$WHK" verify -p mandrill --secret-file key-with-newline --url "$url" \
  -d "$form" -H "$header"
expect 3 "MANDRILL_WEBHOOK_KEY" -- \
  env -u MANDRILL_WEBHOOK_KEY "$WHK" verify -p mandrill --url "$url" -d "$form" \
  -H "$header"
expect 2 "sign needs --url" -- "$WHK" sign -p mandrill -d "$form"
if "$WHK" sign -p mandrill --url "$url" -d "$form" 2>&1 |
   grep -qF "$MANDRILL_WEBHOOK_KEY"; then
  echo "FAIL: whk sign printed the webhook key"
  failures=$((failures + 1))
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
