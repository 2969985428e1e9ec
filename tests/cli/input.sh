#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# How whk verify and whk sign read their input: malformed and truncated
# raw HTTP, chunked bodies, a 10 MiB body, capture logs, and secrets that
# are unset, empty or given twice. Each bad input gets a clear error and
# its documented exit status, never a crash.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin

export INPUT_SECRET=5b3e8f1a7c2d9e4f6a0b1c8d7e2f3a9b
url=https://hooks.example.com/sms
form="$WORK/form.txt"
printf 'Body=Hi&From=%%2B14155550123&To=%%2B14155550100' >"$form"
form_type="Content-Type: application/x-www-form-urlencoded"

verify() {
    run "$WHK" verify -p twilio --secret-env INPUT_SECRET --url "$url" "$@"
}

run "$WHK" sign -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$form"
expect_status 0
sig=$(output_header X-Twilio-Signature)

# bad_request NAME EXPECTED_MESSAGE: verify rejects $WORK/NAME with exit
# status 2 and the message, printing nothing on stdout.
bad_request() {
    verify "$WORK/$1"
    expect_status 2
    expect_err "whk: error: $WORK/$1: $2"
    expect_out_empty
}

cli_case "headers cut short"
printf 'POST /sms HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Ty' \
    >"$WORK/cut-headers.http"
bad_request cut-headers.http "the request is truncated: it ends inside its headers"

cli_case "body shorter than Content-Length"
{
    printf 'POST /sms HTTP/1.1\r\nHost: hooks.example.com\r\n%s\r\n' "$form_type"
    printf 'X-Twilio-Signature: %s\r\nContent-Length: 500\r\n\r\n' "$sig"
    cat "$form"
} >"$WORK/short-body.http"
bad_request short-body.http "the request is truncated: Content-Length is 500 bytes, but only $(wc -c <"$form") bytes follow the headers"

cli_case "header line without a colon"
printf 'POST /sms HTTP/1.1\r\nHost hooks.example.com\r\n\r\n' \
    >"$WORK/no-colon.http"
bad_request no-colon.http "line 2: header line without a colon: 'Host hooks.example.com'"

cli_case "folded header"
printf 'POST /sms HTTP/1.1\r\nHost: hooks.example.com\r\nX-Note: a\r\n  b\r\n\r\n' \
    >"$WORK/folded.http"
bad_request folded.http "line 4: a folded header line"

cli_case "two different Content-Length values"
printf 'POST /sms HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd' \
    >"$WORK/two-lengths.http"
bad_request two-lengths.http "the request has two different Content-Length headers ('3' and '4')"

cli_case "request line without a version"
printf 'POST /sms\r\nHost: a\r\n\r\n' >"$WORK/no-version.http"
bad_request no-version.http "line 1: expected a request line such as 'POST /path HTTP/1.1', found 'POST /sms'"

cli_case "empty file"
: >"$WORK/empty.http"
bad_request empty.http "the request is empty"

cli_case "file that does not exist"
verify "$WORK/missing.http"
expect_status 2
expect_err "whk: error: cannot open $WORK/missing.http: No such file or directory"
expect_out_empty

cli_case "chunked body"
{
    printf 'POST /sms HTTP/1.1\r\nHost: hooks.example.com\r\n%s\r\n' "$form_type"
    printf 'X-Twilio-Signature: %s\r\nTransfer-Encoding: chunked\r\n\r\n' "$sig"
    # Two chunks, split inside the form, then the last chunk and a trailer.
    head -c 10 "$form" >"$WORK/part1"
    tail -c +11 "$form" >"$WORK/part2"
    printf '%x\r\n' "$(wc -c <"$WORK/part1")"
    cat "$WORK/part1"
    printf '\r\n%x;ext=1\r\n' "$(wc -c <"$WORK/part2")"
    cat "$WORK/part2"
    printf '\r\n0\r\nX-Trailer: t\r\n\r\n'
} >"$WORK/chunked.http"
verify "$WORK/chunked.http"
expect_status 0
expect_out "valid: X-Twilio-Signature matches"

cli_case "chunked body cut short"
head -c -30 "$WORK/chunked.http" >"$WORK/chunked-cut.http"
bad_request chunked-cut.http "the request is truncated: its chunked body ends before the final 0-size chunk"

cli_case "chunked body with a bad chunk size"
printf 'POST /sms HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n' \
    >"$WORK/chunked-bad.http"
bad_request chunked-bad.http "the chunked body is malformed"

cli_case "unsupported Transfer-Encoding"
printf 'POST /sms HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n' \
    >"$WORK/gzip.http"
bad_request gzip.http "Transfer-Encoding 'gzip, chunked' is not supported"

cli_case "public URL that is not http or https"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET \
    --url ftp://hooks.example.com/sms "$WORK/chunked.http"
expect_status 2
expect_err "whk: error: the public URL 'ftp://hooks.example.com/sms' must start with https:// or http://"

cli_case "public URL with a port above 65535"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET \
    --url https://hooks.example.com:99999/sms --data "@$form"
expect_status 2
expect_err "the port must be 1 to 65535"

cli_case "public URL with a control character"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET \
    --url $'https://hooks.example.com/sms\r\nX: y' --data "@$form"
expect_status 2
expect_err "contains a space or control character (0x0d) at offset"

cli_case "header value with CR LF"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$form" -H $'X-Note: a\r\nX-Injected: b'
expect_status 2
expect_err 'a\x0d\x0aX-Injected'

cli_case "terminal escapes in request data are printed escaped"
printf 'POST /a HTTP/1.1\r\nHost: hooks\033]0;title\007.example.com\r\nX-Twilio-Signature: x\r\n\r\n' \
    >"$WORK/escapes.http"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET "$WORK/escapes.http"
expect_status 2
expect_err 'hooks\x1b]0;title\x07.example.com'
expect_out_empty

cli_case "no signature header"
write_request "$WORK/unsigned.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type"
verify "$WORK/unsigned.http"
expect_status 1
expect_out "invalid: the request has no X-Twilio-Signature header"

cli_case "10 MiB form body: sign, then verify"
{
    printf 'From=%%2B14155550123&Body='
    head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a'
} >"$WORK/big.txt"
start=$(now_ns)
run "$WHK" sign -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$WORK/big.txt"
sign_ns=$(($(now_ns) - start))
expect_status 0
big_sig=$(output_header X-Twilio-Signature)
write_request "$WORK/big.http" POST /sms "$WORK/big.txt" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $big_sig"
start=$(now_ns)
verify "$WORK/big.http"
verify_ns=$(($(now_ns) - start))
expect_status 0
expect_out "valid: X-Twilio-Signature matches"
printf '   %d-byte body: sign %d.%03d s, verify %d.%03d s\n' \
    "$(wc -c <"$WORK/big.txt")" $((sign_ns / 1000000000)) \
    $((sign_ns / 1000000 % 1000)) $((verify_ns / 1000000000)) \
    $((verify_ns / 1000000 % 1000))

cli_case "10 MiB form body, one byte changed"
sed -i '$ s/a$/b/' "$WORK/big.http"
verify "$WORK/big.http"
expect_status 1
expect_out "invalid: X-Twilio-Signature does not match"

# A capture log as whkp_record_dump writes it: one JSON object per line with
# id, method, target, url, headers as [name, value] pairs, and body (or
# body_base64 for bytes that are not UTF-8).
form_json=$(node -e '
    const fs = require("fs");
    process.stdout.write(JSON.stringify(fs.readFileSync(process.argv[1], "utf8")));
' "$form")
form_base64=$(base64 -w 0 "$form")
record() {
    local id=$1 record_url=$2 signature=$3 body_key=$4 body_value=$5

    printf '{"id": "%s", "provider": "twilio", "received_at": "2024-05-01T12:00:00Z", ' "$id"
    printf '"method": "POST", "target": "/sms", "url": "%s", ' "$record_url"
    printf '"headers": [["Host", "hooks.example.com"], ["Content-Type", "application/x-www-form-urlencoded"], '
    printf '["X-Twilio-Signature", "%s"]], "%s": %s}\n' "$signature" "$body_key" "$body_value"
}
{
    record good "$url" "$sig" body "$form_json"
    echo
    record tampered "$url" "A${sig#?}" body "$form_json"
    record encoded "$url" "$sig" body_base64 "\"$form_base64\""
} >"$WORK/capture.jsonl"

cli_case "capture log: record chosen with --record"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record good \
    "$WORK/capture.jsonl"
expect_status 0
expect_out "valid: X-Twilio-Signature matches the HMAC-SHA-1 signature of $url"
expect_err_lacks "warning"

cli_case "capture log: tampered record"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record tampered \
    "$WORK/capture.jsonl"
expect_status 1
expect_out "invalid: "

cli_case "capture log: the last record by default"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --json \
    "$WORK/capture.jsonl"
expect_status 0
expect_json status valid
expect_err "whk: note: using capture record encoded, the last in $WORK/capture.jsonl (choose one with --record)"

cli_case "capture log: --url overrides the record's URL"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record good \
    --url "$url/other" --json "$WORK/capture.jsonl"
expect_status 1
expect_json url "$url/other"

cli_case "capture log: record without url rebuilt from Host"
sed 's/"url": "[^"]*", //' "$WORK/capture.jsonl" >"$WORK/no-url.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record good \
    "$WORK/no-url.jsonl"
expect_status 0
expect_err "whk: warning: no --url given: using $url, rebuilt from the Host"

cli_case "capture log: record of another provider"
sed 's/"provider": "twilio"/"provider": "stripe"/' "$WORK/capture.jsonl" \
    >"$WORK/stripe.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record good \
    "$WORK/stripe.jsonl"
expect_status 0
expect_err "whk: warning: capture record good was received for provider stripe, not twilio"

cli_case "capture log: unknown --record"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --record nope \
    "$WORK/capture.jsonl"
expect_status 2
expect_err "whk: error: $WORK/capture.jsonl: no capture record has id 'nope'"
expect_out_empty

cli_case "capture log: line that is not JSON"
{
    record good "$url" "$sig" body "$form_json"
    echo '{"id": "broken", "method": "POST"'
} >"$WORK/broken.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET "$WORK/broken.jsonl"
expect_status 2
expect_err "whk: error: $WORK/broken.jsonl: line 2, column"
expect_err "not a capture record"
expect_out_empty

cli_case "capture log: line that is not an object"
{
    record good "$url" "$sig" body "$form_json"
    echo '["not", "a", "record"]'
} >"$WORK/array.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET "$WORK/array.jsonl"
expect_status 2
expect_err "whk: error: $WORK/array.jsonl: line 2, column 1: not a capture record: expected a JSON object"

cli_case "capture log: record without a target"
echo '{"id": "x", "method": "POST", "headers": []}' >"$WORK/no-target.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET "$WORK/no-target.jsonl"
expect_status 2
expect_err "a capture record needs 'method' and 'target' strings"

cli_case "capture log: header that is not a pair"
echo '{"id": "x", "method": "POST", "target": "/", "headers": [["Host"]]}' \
    >"$WORK/bad-header.jsonl"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET \
    "$WORK/bad-header.jsonl"
expect_status 2
expect_err "header 0 must be a [name, value] pair of strings"

write_request "$WORK/ok.http" POST /sms "$form" "Host: hooks.example.com" \
    "$form_type" "X-Twilio-Signature: $sig"

cli_case "secret: variable unset"
run env -u INPUT_SECRET "$WHK" verify -p twilio --secret-env INPUT_SECRET \
    --url "$url" "$WORK/ok.http"
expect_status 3
expect_err "whk: error: environment variable INPUT_SECRET is not set"
expect_out_empty

cli_case "secret: provider's default variable unset"
run "$WHK" verify -p twilio --url "$url" "$WORK/ok.http"
expect_status 3
expect_err "whk: error: environment variable TWILIO_AUTH_TOKEN is not set"

cli_case "secret: provider's default variable set"
run env "TWILIO_AUTH_TOKEN=$INPUT_SECRET" "$WHK" verify -p twilio \
    --url "$url" "$WORK/ok.http"
expect_status 0

cli_case "secret: variable empty"
run env INPUT_SECRET= "$WHK" verify -p twilio --secret-env INPUT_SECRET \
    --url "$url" "$WORK/ok.http"
expect_status 3
expect_err "whk: error: environment variable INPUT_SECRET is empty"

cli_case "secret: sign with the variable empty"
run env INPUT_SECRET= "$WHK" sign -p twilio --secret-env INPUT_SECRET \
    --url "$url" --data "@$form"
expect_status 3
expect_err "environment variable INPUT_SECRET is empty"
expect_out_empty

cli_case "secret: file empty"
: >"$WORK/empty.secret"
run "$WHK" verify -p twilio --secret-file "$WORK/empty.secret" \
    --url "$url" "$WORK/ok.http"
expect_status 3
expect_err "whk: error: secret file $WORK/empty.secret is empty"

cli_case "secret: file missing"
run "$WHK" verify -p twilio --secret-file "$WORK/missing.secret" \
    --url "$url" "$WORK/ok.http"
expect_status 3
expect_err "whk: error: cannot open secret file $WORK/missing.secret: No such file or directory"

cli_case "secret: file holds the secret"
printf '%s' "$INPUT_SECRET" >"$WORK/good.secret"
run "$WHK" verify -p twilio --secret-file "$WORK/good.secret" \
    --url "$url" "$WORK/ok.http"
expect_status 0

cli_case "secret: both --secret-env and --secret-file"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET \
    --secret-file "$WORK/good.secret" --url "$url" "$WORK/ok.http"
expect_status 2
expect_err "whk: error: give either --secret-env or --secret-file, not both"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET \
    --secret-file "$WORK/good.secret" --url "$url" --data "@$form"
expect_status 2
expect_err "give either --secret-env or --secret-file, not both"

cli_case "--header with a line break"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$form" -H $'X-A: b\r\nX-Injected: 1'
expect_status 2
expect_err "has a line break (CR or LF) in its value; give each header with its own --header"

cli_case "--header value with trailing spaces"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --url "$url" \
    -H "$form_type" -H "X-Twilio-Signature: $sig  " --data "@$form"
expect_status 0

cli_case "--header with a space in the name"
run "$WHK" sign -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$form" -H 'X A: b'
expect_status 2
expect_err "the name 'X A' has a character that a header name cannot have"

cli_case "--id empty or with a line break"
export INPUT_WHSEC=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
run "$WHK" sign -p svix --secret-env INPUT_WHSEC --url "$url" --data '{}' --id ''
expect_status 2
expect_err "--id is empty; give a message id such as msg_123"
run "$WHK" sign -p svix --secret-env INPUT_WHSEC --url "$url" --data '{}' \
    --id $'msg_1\nX-Injected: 1'
expect_status 2
expect_err "contains a control character at position 6"

cli_case "--now out of range"
run "$WHK" verify -p twilio --secret-env INPUT_SECRET --url "$url" \
    --data "@$form" --now 99999999999999999999
expect_status 2
expect_err "--now '99999999999999999999' is out of range"

cli_case "no output contains a secret"
expect_no_leak "$INPUT_SECRET"

cli_end
