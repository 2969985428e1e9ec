#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line checks of the Plivo plugin's bad input: missing, empty and
# malformed headers, several signatures in one header, secrets of the
# wrong form, methods and URLs the scheme cannot sign. Each check states
# the exit status and a phrase of the message it expects.
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

export PLIVO_AUTH_TOKEN=Zk3mQ8vR2nT6wY1bC5eH9jL4pS7uX0aD2gK6mN8q
url='https://hooks.example.com/webhooks/plivo?b=2&a=1'
form='From=14155550123&To=14155550100&Text=Hi'
sig=$("$WHK" sign -p plivo --url "$url" -d "$form" --id 12345 |
      sed -n 's/^X-Plivo-Signature-V3: //p')
other=$(PLIVO_AUTH_TOKEN=Other0Token0Of0Forty0Characters000000000 "$WHK" sign \
        -p plivo --url "$url" -d "$form" --id 12345 |
        sed -n 's/^X-Plivo-Signature-V3: //p')
nonce='X-Plivo-Signature-V3-Nonce: 12345'
verify=("$WHK" verify -p plivo --url "$url" -d "$form")

expect 0 "signature 1 in X-Plivo-Signature-V3 matches" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $sig"
expect 0 "signature 2 in X-Plivo-Signature-V3 matches" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $other,$sig"
expect 0 "in X-Plivo-Signature-Ma-V3 matches" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $other" \
  -H "X-Plivo-Signature-Ma-V3: $sig"
expect 1 "no signature matches" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $other"
expect 1 "signature 2 in X-Plivo-Signature-V3 is not a base64" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $other, $sig"
expect 1 "no signature in X-Plivo-Signature-V3 is a base64" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: not-base64!"
expect 1 "no signature in X-Plivo-Signature-V3 is a base64" -- \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: "
expect 1 "no signature matches" -- \
  "$WHK" verify -p plivo --url "$url" -d "${form}x" -H "$nonce" \
  -H "X-Plivo-Signature-V3: $sig"
expect 1 "has no X-Plivo-Signature-V3 header" -- \
  "${verify[@]}" -H "$nonce"
expect 1 "has no X-Plivo-Signature-V3-Nonce header" -- \
  "${verify[@]}" -H "X-Plivo-Signature-V3: $sig"
expect 1 "is empty or has characters outside printable ASCII" -- \
  "${verify[@]}" -H "X-Plivo-Signature-V3-Nonce: " -H "X-Plivo-Signature-V3: $sig"
expect 1 "Plivo calls back with GET or POST only" -- \
  "${verify[@]}" -X PUT -H "$nonce" -H "X-Plivo-Signature-V3: $sig"
expect 1 "non-ASCII byte at offset" -- \
  "$WHK" verify -p plivo --url 'https://hooks.example.com/caf%C3%A9é' -d "$form" \
  -H "$nonce" -H "X-Plivo-Signature-V3: $sig"
expect 1 "no POST parameters were signed" -- \
  "$WHK" verify -p plivo --url "$url" -H 'Content-Type: application/json' \
  -d '{"From":"1"}' -H "$nonce" -H "X-Plivo-Signature-V3: $sig"

# Secrets of the wrong form are rejected without being printed.
expect 3 "looks like a Plivo Auth ID" -- \
  env PLIVO_AUTH_TOKEN=MAZDQ1ZJI3MTA4NZGXMG "${verify[@]}" -H "$nonce" \
  -H "X-Plivo-Signature-V3: $sig"
expect 3 "outside printable ASCII" -- \
  env PLIVO_AUTH_TOKEN="tokén0000000000000000000000000000000000" \
  "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $sig"
printf '%s\n' "$PLIVO_AUTH_TOKEN" > token-with-newline
expect 3 "newline" -- \
  "${verify[@]}" --secret-file token-with-newline -H "$nonce" \
  -H "X-Plivo-Signature-V3: $sig"
expect 3 "PLIVO_AUTH_TOKEN" -- \
  env -u PLIVO_AUTH_TOKEN "${verify[@]}" -H "$nonce" -H "X-Plivo-Signature-V3: $sig"

# Signing needs the public URL and a nonce whk can send.
expect 2 "sign needs --url" -- "$WHK" sign -p plivo -d "$form"
expect 2 "is not 1 to" -- "$WHK" sign -p plivo --url "$url" -d "$form" --id 'a b'
expect 2 "GET or POST only" -- "$WHK" sign -p plivo -X DELETE --url "$url" -d "$form"
expect 0 "X-Plivo-Signature-V3-Nonce: " -- "$WHK" sign -p plivo --url "$url" -d "$form"
if "$WHK" sign -p plivo --url "$url" -d "$form" 2>&1 | grep -qF "$PLIVO_AUTH_TOKEN"; then
  echo "FAIL: whk sign printed the Auth Token"
  failures=$((failures + 1))
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
