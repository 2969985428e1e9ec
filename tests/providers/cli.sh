#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line checks for the key-pair and HMAC providers: --key-file,
# wrong keys and secrets, the JSON diagnosis, --tolerance and the
# declarations whk show prints. Each check states the exit status and a
# phrase of the message it expects.
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
}

# Test key pairs made now; they belong to no account.
openssl genpkey -algorithm ed25519 -out ed.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
openssl pkey -in ec.pem -pubout -out ec-public.pem 2>/dev/null
printf '%s' "$(openssl pkey -in ec.pem -pubout -outform DER | base64 -w0)" > ec.pub
printf '%s' "$(openssl pkey -in ed.pem -pubout -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n')" > ed.pub
url=https://hooks.example.com/webhooks
json='Content-Type: application/json'

# Key-pair providers: sign with --key-file, verify with the dashboard form.
for p in discord:ed sendgrid:ec; do
  name=${p%%:*} key=${p#*:}
  "$WHK" sign -p "$name" --key-file "$key.pem" --url $url -H "$json" \
    -d '{"type":1}' --timestamp 1700000000 > "$name.h"
  args=()
  while IFS= read -r line; do args+=(-H "$line"); done < "$name.h"
  expect 0 "valid:" -- "$WHK" verify -p "$name" --secret-file "$key.pub" \
    --url $url -H "$json" "${args[@]}" -d '{"type":1}' --now 1700000000
  expect 0 "valid:" -- "$WHK" verify -p "$name" --key-file "$key.pem" \
    --url $url -H "$json" "${args[@]}" -d '{"type":1}' --now 1700000000
  expect 1 "re-serialized compact" -- "$WHK" verify -p "$name" \
    --secret-file "$key.pub" --url $url -H "$json" "${args[@]}" \
    -d '{"type": 1}' --now 1700000000
  expect 1 "timestamp_too_old" -- "$WHK" verify -p "$name" \
    --secret-file "$key.pub" --url $url -H "$json" "${args[@]}" \
    -d '{"type":1}' --now 1700000061 --tolerance 60 --json
  expect 2 "signs with a private key" -- "$WHK" sign -p "$name" --url $url \
    -d x
done
expect 0 "valid:" -- "$WHK" verify -p sendgrid --key-file ec-public.pem \
  --url $url -H "$json" -H "$(sed -n 1p sendgrid.h)" \
  -H "$(sed -n 2p sendgrid.h)" -d '{"type":1}'
expect 3 "needs an Ed25519 key" -- "$WHK" sign -p discord --key-file ec.pem \
  --url $url -d x
expect 3 "public key; signing needs the private key" -- "$WHK" sign \
  -p sendgrid --key-file ec-public.pem --url $url -d x
expect 3 "Ed25519 key such as Discord's" -- "$WHK" verify -p sendgrid \
  --secret-file ed.pub --url $url -H 'X-Twilio-Email-Event-Webhook-Signature: AA==' \
  -H 'X-Twilio-Email-Event-Webhook-Timestamp: 1' -d x
printf 'root:x:0:0:root:/root:/bin/bash\nbin:x:1:1::/:/bin/false\n' > passwd.txt
expect 3 "several lines but no PEM header" -- "$WHK" verify -p discord \
  --key-file passwd.txt --url $url -d x
export NOT_HEX_KEY="$(printf 'a%.0s' $(seq 40))zzzz$(printf 'b%.0s' $(seq 20))"
expect 3 "character 41 is not a hex digit" -- "$WHK" verify -p discord \
  --secret-env NOT_HEX_KEY --url $url -d x
expect 2 "shared secret, not a key pair" -- "$WHK" sign -p stripe \
  --key-file ec.pem --url $url -d x
expect 2 "one of --key-file" -- "$WHK" verify -p discord --key-file ed.pem \
  --secret-file ed.pub --url $url -d x

# Signing without a key names the key type the provider uses, the openssl
# command that makes one, and who verifies the requests.
expect 2 "sign test requests with an Ed25519 key pair of your own: make one with 'openssl genpkey -algorithm ed25519 -out key.pem', pass --key-file key.pem" -- \
  "$WHK" test -p discord --target http://127.0.0.1:9/webhooks
expect 2 "and configure the app under test with its public half" -- \
  "$WHK" test -p discord --target http://127.0.0.1:9/webhooks
expect 2 "sign test requests with an ECDSA P-256 key pair of your own: make one with 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem'" -- \
  "$WHK" sign -p sendgrid --url $url -d x
expect 2 "and verify the signed requests with 'whk verify --key-file key.pem'" -- \
  "$WHK" sign -p sendgrid --url $url -d x
if "$WHK" test -p discord --target http://127.0.0.1:9/webhooks 2>&1 |
   grep -qE 'P-256|same --key-file'; then
  echo "FAIL: the Discord message offers another key type or verifier"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

# A provider that reads only the status: any 2xx, and no empty body line.
expect 0 "expected response: any 2xx" -- "$WHK" show stripe
if "$WHK" show stripe | sed -n '/^Delivery/,/^$/p' | grep -qE '^ +$'; then
  echo "FAIL: whk show stripe prints a line of spaces"
  failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

# HMAC providers: secret forms, malformed headers, JSON formatting, time.
export SW_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
export BAD_B64='whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa$w' EMPTY_KEY=whsec_
export PASTED_SIG='v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
export API_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc
printf 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n' > newline.secret
for v in BAD_B64:"not valid base64" EMPTY_KEY:"key is empty" \
         PASTED_SIG:"prefix of a signature"; do
  expect 3 "${v#*:}" -- "$WHK" verify -p standardwebhooks \
    --secret-env "${v%%:*}" --url $url -d '{}' -H 'webhook-id: m'
done
expect 3 "ends with a newline" -- "$WHK" verify -p svix \
  --secret-file newline.secret --url $url -d '{}'
expect 3 "API key" -- "$WHK" sign -p stripe --secret-env API_KEY --url $url -d x

pretty=$'{\n  "id": "evt_1",\n  "object": "event"\n}'
"$WHK" sign -p stripe --secret-env SW_SECRET --url $url -H "$json" \
  --data "$pretty" --timestamp 1700000000 > stripe.h
sig=$(cat stripe.h)
expect 0 "the body is JSON indented by 2 spaces" -- "$WHK" verify -p stripe \
  --secret-env SW_SECRET --url $url -H "$json" -H "$sig" --data "$pretty" \
  --now 1700000000
expect 1 "JSON.stringify(body, null, 2)" -- "$WHK" verify -p stripe \
  --secret-env SW_SECRET --url $url -H "$json" -H "$sig" \
  --data '{"id":"evt_1","object":"event"}' --now 1700000000
expect 1 "301 s in the past, beyond the tolerance of 300 s" -- "$WHK" verify \
  -p stripe --secret-env SW_SECRET --url $url -H "$json" -H "$sig" \
  --data "$pretty" --now 1700000301
expect 1 "1 s in the future" -- "$WHK" verify -p stripe \
  --secret-env SW_SECRET --url $url -H "$json" -H "$sig" --data "$pretty" \
  --now 1699999989 --tolerance 10
expect 1 "no t= timestamp" -- "$WHK" verify -p stripe --secret-env SW_SECRET \
  --url $url -H "$json" -H "Stripe-Signature: v1=abc" --data "$pretty"
expect 1 "malformed_header" -- "$WHK" verify -p paddle --secret-env SW_SECRET \
  --url $url -H "$json" -H "Paddle-Signature: ts=1;ts=2;h1=00" --data x --json

# A scheme that does not sign the URL needs no --url to sign or verify.
sig=$("$WHK" sign -p stripe --secret-env SW_SECRET -H "$json" \
  --data '{"id":"evt_2"}')
expect 0 "matches" -- "$WHK" verify -p stripe --secret-env SW_SECRET \
  -H "$json" -H "$sig" --data '{"id":"evt_2"}'
expect 2 "sign needs --url" -- "$WHK" sign -p twilio --secret-env SW_SECRET \
  --data 'Body=hi'

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
