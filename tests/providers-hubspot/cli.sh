#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk's hubspot and mailgun plugins on the command line. Signatures made
# with OpenSSL's command line from each provider's documentation must be
# valid, and tampered copies invalid. Every malformed header, body field
# and secret is invalid or rejected with its reason, never a crash.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin
cd "$WORK" || exit 1

hs_secret=5c0a9d2e-7b41-4f3a-9e8d-1a2b3c4d5e6f
mg_key=9e1f3a5c7b2d4f6a8c0e1b3d5f7a9c2e-4d6f8a0b-1c3e5a7b
export HUBSPOT_CLIENT_SECRET=$hs_secret MAILGUN_WEBHOOK_SIGNING_KEY=$mg_key
json='Content-Type: application/json'
form='Content-Type: application/x-www-form-urlencoded'

# base64(HMAC-SHA256(HubSpot secret, stdin)) and hex(... Mailgun key ...).
hs_hmac() { openssl dgst -sha256 -hmac "$hs_secret" -binary | base64 -w0; }
mg_hmac() { openssl dgst -sha256 -hmac "${1:-$mg_key}" -r | cut -d' ' -f1; }

# HubSpot signs the URI with %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B
# decoded and every other escape kept.
hs_url='https://hooks.example.com/webhooks/hubspot?portal=62515&ref=a%3Ab%2Fc%40d%2Ce&q=x%20y%3Dz'
hs_signed_url='https://hooks.example.com/webhooks/hubspot?portal=62515&ref=a:b/c@d,e&q=x%20y%3Dz'
hs_ms=1718035201442
hs_now=1718035201
printf '%s' '[{"eventId":1893421057,"subscriptionType":"contact.creation","portalId":62515}]' >hs.json
hs_sig=$(printf 'POST%s%s%s' "$hs_signed_url" "$(cat hs.json)" "$hs_ms" | hs_hmac)
hs_raw_sig=$(printf 'POST%s%s%s' "$hs_url" "$(cat hs.json)" "$hs_ms" | hs_hmac)

# hs_verify SIGNATURE TIMESTAMP [ARG...]: verifies hs.json for hs_url.
hs_verify() {
    local sig=$1 ts=$2
    shift 2
    run "$WHK" verify -p hubspot --url "$hs_url" -H "$json" \
        -H "X-HubSpot-Signature-v3: $sig" -H "X-HubSpot-Request-Timestamp: $ts" \
        -d @hs.json --now "$hs_now" --json "$@"
}

cli_case "hubspot: a signature made with openssl is valid"
hs_verify "$hs_sig" "$hs_ms"
expect_status 0
expect_json reason match
expect_json_contains message "$hs_signed_url"

cli_case "hubspot: whk sign makes the openssl signature"
run "$WHK" sign -p hubspot --url "$hs_url" -H "$json" -d @hs.json \
    --timestamp "$hs_now"
expect_status 0
expect_out "X-HubSpot-Request-Timestamp: ${hs_now}000"
check
[ "$(output_header X-HubSpot-Signature-v3)" = \
  "$(printf 'POST%s%s%s000' "$hs_signed_url" "$(cat hs.json)" "$hs_now" |
     hs_hmac)" ] || fail "whk sign and openssl differ"

cli_case "hubspot: tampered copies are invalid"
printf '%s' '[{"eventId":1893421058,"subscriptionType":"contact.creation","portalId":62515}]' >hs-tampered.json
run "$WHK" verify -p hubspot --url "$hs_url" -H "$json" \
    -H "X-HubSpot-Signature-v3: $hs_sig" \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" -d @hs-tampered.json \
    --now "$hs_now" --json
expect_status 1
expect_json reason mismatch
hs_verify "$hs_sig" $((hs_ms + 1))
expect_status 1
expect_json reason mismatch
run "$WHK" verify -p hubspot --url "${hs_url}&x=1" -H "$json" \
    -H "X-HubSpot-Signature-v3: $hs_sig" \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" -d @hs.json --now "$hs_now"
expect_status 1
run "$WHK" verify -p hubspot --url "$hs_url" -X GET -H "$json" \
    -H "X-HubSpot-Signature-v3: $hs_sig" \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" -d @hs.json --now "$hs_now"
expect_status 1

cli_case "hubspot: a URI signed without decoding is named"
hs_verify "$hs_raw_sig" "$hs_ms"
expect_status 1
expect_json reason mismatch
expect_json_contains notes "escapes left encoded"

cli_case "hubspot: the other scheme is named"
run "$WHK" verify -p hubspot --url "${hs_url/https:/http:}" -H "$json" \
    -H "X-HubSpot-Signature-v3: $hs_sig" \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" -d @hs.json --now "$hs_now" \
    --json
expect_status 1
expect_json_contains notes "the signature matches https://hooks.example.com"

cli_case "hubspot: timestamps are checked both ways"
hs_verify "$hs_sig" "$hs_ms" --now $((hs_now + 300))
expect_status 0
hs_verify "$hs_sig" "$hs_ms" --now $((hs_now + 301))
expect_status 1
expect_json reason timestamp_too_old
hs_verify "$hs_sig" "$hs_ms" --now $((hs_now - 301))
expect_status 1
expect_json reason timestamp_in_future
hs_verify "$hs_sig" "$hs_ms" --now $((hs_now + 3600)) --tolerance 3600
expect_status 0

cli_case "hubspot: missing headers"
run "$WHK" verify -p hubspot --url "$hs_url" -H "$json" -d @hs.json \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" --now "$hs_now"
expect_status 1
expect_out "the request has no X-HubSpot-Signature-v3 header"
run "$WHK" verify -p hubspot --url "$hs_url" -H "$json" -d @hs.json \
    -H "X-HubSpot-Signature: 232db2615f3d666fe21a8ec971ac7b54" \
    -H "X-HubSpot-Request-Timestamp: $hs_ms" --now "$hs_now"
expect_status 1
expect_out "a v1 or v2 signature, which whk does not check"
run "$WHK" verify -p hubspot --url "$hs_url" -H "$json" -d @hs.json \
    -H "X-HubSpot-Signature-v3: $hs_sig" --now "$hs_now"
expect_status 1
expect_out "the request has no X-HubSpot-Request-Timestamp header"

cli_case "hubspot: malformed headers"
for ts in abc -5 1.7e12 '' 1718035201442x 99999999999999999999; do
    hs_verify "$hs_sig" "$ts"
    expect_status 1
    expect_json reason malformed_header
    expect_json_contains message "is not a whole number of milliseconds"
done
for sig in 'not base64!' "${hs_sig%=}" "$(printf '%064d' 0)" "$hs_sig$hs_sig"; do
    hs_verify "$sig" "$hs_ms"
    expect_status 1
    expect_json reason malformed_header
    expect_json_contains message "is not a base64 HMAC-SHA256"
done

cli_case "hubspot: malformed secrets"
HUBSPOT_CLIENT_SECRET=pat-na1-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d \
    hs_verify "$hs_sig" "$hs_ms"
expect_status 3
expect_err "private app access token"
HUBSPOT_CLIENT_SECRET="$hs_secret
" hs_verify "$hs_sig" "$hs_ms"
expect_status 3
HUBSPOT_CLIENT_SECRET= hs_verify "$hs_sig" "$hs_ms"
expect_status 3
run env -u HUBSPOT_CLIENT_SECRET "$WHK" sign -p hubspot --url "$hs_url" -d x
expect_status 3
expect_err HUBSPOT_CLIENT_SECRET

cli_case "hubspot: sign needs the public URL"
run "$WHK" sign -p hubspot --sample contact-creation
expect_status 2
expect_err "sign needs --url"

# Mailgun: hex HMAC-SHA256 of the timestamp followed by the token.
mg_ts=1718098215
mg_token=e0b5477167110d68991efc6b9f89f0a11066af27834600e123
mg_sig=$(printf '%s%s' "$mg_ts" "$mg_token" | mg_hmac)
event='"event-data":{"event":"delivered","id":"CPgfbmQMTCKtHW6uIWtuVe","recipient":"alice@example.net"}'

# mg_json FILE TIMESTAMP TOKEN SIGNATURE [EXTRA]: a JSON body as Mailgun sends.
mg_json() {
    printf '{"signature":{"token":"%s","timestamp":"%s","signature":"%s"%s},%s}' \
        "$3" "$2" "$4" "${5:-}" "$event" >"$1"
}

# mg_verify FILE [ARG...]: verifies a JSON body at mg_ts.
mg_verify() {
    local file=$1
    shift
    run "$WHK" verify -p mailgun -H "$json" -d @"$file" --now "$mg_ts" --json "$@"
}

cli_case "mailgun: a signature made with openssl is valid"
mg_json mg.json "$mg_ts" "$mg_token" "$mg_sig"
mg_verify mg.json
expect_status 0
expect_json reason match
expect_json_contains notes "not the event data"

cli_case "mailgun: tampered copies are invalid, a changed event is not"
mg_json mg-token.json "$mg_ts" "${mg_token%3}4" "$mg_sig"
mg_verify mg-token.json
expect_status 1
expect_json reason mismatch
mg_json mg-ts.json $((mg_ts + 1)) "$mg_token" "$mg_sig"
mg_verify mg-ts.json
expect_status 1
expect_json reason mismatch
sed 's/alice@example.net/mallory@example.net/' mg.json >mg-event.json
mg_verify mg-event.json
expect_status 0
run "$WHK" verify -p mailgun --secret-env OTHER_KEY -H "$json" -d @mg.json \
    --now "$mg_ts"
expect_status 3
OTHER_KEY=${mg_key}0 mg_verify mg.json --secret-env OTHER_KEY
expect_status 1
expect_json reason mismatch

cli_case "mailgun: a subaccount's parent-signature"
mg_json mg-parent.json "$mg_ts" "$mg_token" \
    "$(printf '%s%s' "$mg_ts" "$mg_token" | mg_hmac subaccount-key)" \
    ",\"parent-signature\":\"$mg_sig\""
mg_verify mg-parent.json
expect_status 0
expect_json_contains message "the key is the primary account's"

cli_case "mailgun: a form body made with openssl is valid"
printf 'event=delivered&recipient=alice%%40example.net&timestamp=%s&token=%s&signature=%s' \
    "$mg_ts" "$mg_token" "$mg_sig" >mg.form
run "$WHK" verify -p mailgun -H "$form" -d @mg.form --now "$mg_ts"
expect_status 0
sed 's/token=e0/token=e1/' mg.form >mg-tampered.form
run "$WHK" verify -p mailgun -H "$form" -d @mg-tampered.form --now "$mg_ts"
expect_status 1

cli_case "mailgun: --tolerance checks the timestamp"
mg_verify mg.json --now $((mg_ts + 86400))
expect_status 0
mg_verify mg.json --now $((mg_ts + 301)) --tolerance 300
expect_status 1
expect_json reason timestamp_too_old
mg_verify mg.json --now $((mg_ts - 301)) --tolerance 300
expect_status 1
expect_json reason timestamp_in_future

cli_case "mailgun: missing fields"
printf '{%s}' "$event" >mg-none.json
mg_verify mg-none.json
expect_status 1
expect_json reason missing_header
expect_json_contains message 'the JSON body has no "signature" object'
printf '{"signature":{"timestamp":"%s","signature":"%s"},%s}' "$mg_ts" \
    "$mg_sig" "$event" >mg-no-token.json
mg_verify mg-no-token.json
expect_status 1
expect_json_contains message "the body has no signature.token"
printf 'event=delivered&timestamp=%s&signature=%s' "$mg_ts" "$mg_sig" >mg-no-token.form
run "$WHK" verify -p mailgun -H "$form" -d @mg-no-token.form --now "$mg_ts"
expect_status 1
expect_out "the form has no 'token' field"

cli_case "mailgun: malformed bodies and fields"
printf '{"signature":' >mg-cut.json
mg_verify mg-cut.json
expect_status 1
expect_json_contains message "the JSON body is invalid at line 1"
printf '[1,2]' >mg-array.json
mg_verify mg-array.json
expect_json_contains message "is not an object"
printf '{"signature":"%s"}' "$mg_sig" >mg-string.json
mg_verify mg-string.json
expect_json_contains message '"signature" in the JSON body is not an object'
printf '{"signature":{"token":"%s","timestamp":"%s","signature":"%s"},"signature":{}}' \
    "$mg_token" "$mg_ts" "$mg_sig" >mg-twice.json
mg_verify mg-twice.json
expect_json_contains message "duplicate object key"
mg_json mg-bad-ts.json 12a "$mg_token" "$mg_sig"
mg_verify mg-bad-ts.json
expect_json reason malformed_header
expect_json_contains message "signature.timestamp '12a' is not a whole number of seconds"
mg_json mg-bad-sig.json "$mg_ts" "$mg_token" "${mg_sig:0:63}g"
mg_verify mg-bad-sig.json
expect_json_contains message "signature.signature is not a hex HMAC-SHA256"
printf '{"signature":{"token":"%s","timestamp":%s,"signature":%s}}' \
    "$mg_token" "$mg_ts" 12 >mg-number.json
mg_verify mg-number.json
expect_json_contains message "signature.signature is not a string"
printf 'token=a&token=b&timestamp=1&signature=%s' "$mg_sig" >mg-twice.form
run "$WHK" verify -p mailgun -H "$form" -d @mg-twice.form --now "$mg_ts"
expect_status 1
expect_out "the form has more than one 'token' field"
for type in 'multipart/form-data; boundary=x' text/plain; do
    run "$WHK" verify -p mailgun -H "Content-Type: $type" -d @mg.json \
        --now "$mg_ts" --json
    expect_status 1
    expect_json reason unsupported
done
expect_json_contains message "neither application/json"
for file in mg-cut.json mg-array.json mg-string.json mg-twice.json; do
    mg_verify "$file"
    expect_status 1
done

cli_case "mailgun: malformed secrets"
MAILGUN_WEBHOOK_SIGNING_KEY=pubkey-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d mg_verify mg.json
expect_status 3
expect_err "public validation key"
MAILGUN_WEBHOOK_SIGNING_KEY="\"$mg_key\"" mg_verify mg.json
expect_status 3

cli_case "mailgun: sign writes the signature into the body"
run "$WHK" sign -p mailgun --sample delivered --timestamp "$mg_ts" --id "$mg_token" --json
expect_status 0
expect_json_contains body "{\"signature\":{\"token\":\"$mg_token\",\"timestamp\":\"$mg_ts\",\"signature\":\"$mg_sig\"},\"event-data\":"
run "$WHK" sign -p mailgun --sample delivered --timestamp "$mg_ts" --id "$mg_token"
expect_status 0
expect_out_empty
expect_err "signing wrote into the body"
expect_err "\"signature\":\"$mg_sig\""
run "$WHK" sign -p mailgun -H "$form" -d 'event=opened&token=old' \
    --timestamp "$mg_ts" --id "$mg_token" --curl http://127.0.0.1:9
expect_status 0
expect_out "--data-raw 'event=opened&timestamp=$mg_ts&token=$mg_token&signature=$mg_sig'"
run "$WHK" sign -p mailgun -H "$json" -d '[1]'
expect_status 2
expect_err "Mailgun signs a JSON object, and the body is another JSON value"
run "$WHK" sign -p mailgun -H 'Content-Type: text/plain' -d 'x'
expect_status 2
expect_err "neither application/json"

expect_no_leak "$hs_secret" "$mg_key"
cli_end
