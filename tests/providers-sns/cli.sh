#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Amazon SNS: whk verify of good, changed and malformed messages (each bad
# input invalid with a reason, never a crash), signing without a key, and
# whk test and listen with receiver.mjs, which validates with AWS's
# sns-validator. The key pair and certificate are made here by OpenSSL.
. "$WHK_TEST_SOURCE_DIR/cli/lib.sh"
cli_begin
cd "$WORK" || exit 1

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 2 -subj /CN=sns.us-east-1.amazonaws.com 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.pem -out other-cert.pem \
    -days 2 -subj /CN=sns.us-east-1.amazonaws.com 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
url=https://hooks.example.com/webhooks/sns
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait; rm -rf "$WORK"' EXIT

cli_case "show gives the challenge's status as any 2xx"
run "$WHK" show sns
expect_status 0
expect_out "POST (signed), expects any 2xx"

cli_case "sign without a key names the RSA key to make"
run "$WHK" sign -p sns --sample notification --url $url
expect_status 2
expect_err "rsa_keygen_bits:2048"

cli_case "sign with an EC key names the key type"
run "$WHK" sign -p sns --key-file ec.pem --sample notification --url $url
expect_status 3
expect_err "needs an RSA key"

# The signed notification sample, as the body and its headers.
"$WHK" sign -p sns --key-file key.pem --sample notification --url $url \
    --timestamp 1700000000 --json >signed.json
node -e '
    const fs = require("fs");
    const signed = JSON.parse(fs.readFileSync("signed.json", "utf8"));
    fs.writeFileSync("body.json", signed.body);
' || exit 1
args=(-p sns --url $url -H 'Content-Type: text/plain; charset=UTF-8'
      -H 'x-amz-sns-message-type: Notification')

cli_case "verify accepts the signed sample"
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @body.json
expect_status 0
expect_out "valid RSA SHA-1 signature (SignatureVersion 1)"
run "$WHK" verify "${args[@]}" --key-file key.pem --data @body.json
expect_status 0

cli_case "verify rejects another certificate"
run "$WHK" verify "${args[@]}" --secret-file other-cert.pem --data @body.json
expect_status 1
expect_out "not a valid RSA SHA-1 signature"

# bad NAME SED: a copy of the signed body changed by the sed script.
bad() {
    sed "$2" body.json >"$1.json"
}

cli_case "verify rejects a changed signed member"
bad changed 's/ord_1042 shipped/ord_1042 lost/'
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @changed.json
expect_status 1
expect_out "not a valid RSA"

cli_case "verify rejects a certificate URL off SNS"
for form in 'http://sns.us-east-1.amazonaws.com/x.pem|is not an https:// URL' \
    'https://sns.evil.example.com/x.pem|is not on an SNS host' \
    'https://sns.us-east-1.amazonaws.com.evil.example/x.pem|is not on an SNS host' \
    'https://sns.us-east-1.amazonaws.com:8443/x.pem|is not on an SNS host' \
    'https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/x.pem|is not on an SNS host' \
    'https://sns.us-east-1.amazonaws.com/x.txt|does not name a .pem file' \
    'https://sns.us-east-1.amazonaws.com/x.pem?a=b|does not name a .pem file'; do
    cert_url=${form%%|*}
    reason=${form##*|}
    bad url "s#https://sns.us-east-1.amazonaws.com/SimpleNotificationService-[0-9a-f]*.pem#$cert_url#"
    run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @url.json --json
    expect_status 1
    expect_json reason mismatch
    expect_out "$reason"
done

cli_case "verify names a malformed message"
for form in '1s/.*/[1, 2]/;2,$d|no string member Type' \
    's/"Type" : "Notification"/"Type" : "Note"/|is not one SNS sends' \
    's/"SignatureVersion" : "1"/"SignatureVersion" : "3"/|neither 1 (RSA SHA-1) nor' \
    '/"Signature" :/d|no string member Signature' \
    's/"Signature" : "/"Signature" : "*/|Signature is not base64' \
    '/"MessageId" :/d|has no MessageId, which SNS signs' \
    's/"Subject" : "[^"]*"/"Subject" : 7/|is not a string' \
    '1s/{/{ x/|is not JSON'; do
    bad malformed "${form%%|*}"
    run "$WHK" verify -p sns --url $url -H 'Content-Type: text/plain' \
        --secret-file cert.pem --data @malformed.json
    expect_status 1
    expect_out "${form##*|}"
done

cli_case "verify rejects a header that contradicts the body"
run "$WHK" verify -p sns --url $url -H 'x-amz-sns-message-type: SubscriptionConfirmation' \
    --secret-file cert.pem --data @body.json
expect_status 1
expect_out "differs from the message's Type"

cli_case "verify checks Timestamp only with --tolerance"
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @body.json \
    --now 1700000900 --tolerance 60 --json
expect_status 1
expect_json reason timestamp_too_old
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @body.json \
    --now 1699999000 --tolerance 60 --json
expect_status 1
expect_json reason timestamp_in_future
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @body.json \
    --now 1700000030 --tolerance 60
expect_status 0
bad when 's/"Timestamp" : "[^"]*"/"Timestamp" : "yesterday"/'
run "$WHK" verify "${args[@]}" --secret-file cert.pem --data @when.json --tolerance 60
expect_status 1
expect_out "is not an ISO 8601 UTC time"

cli_case "verify rejects keys that are not RSA certificates"
printf 'not a certificate' >garbage.pem
run "$WHK" verify "${args[@]}" --secret-file garbage.pem --data @body.json
expect_status 3
run "$WHK" verify "${args[@]}" --key-file ec.pem --data @body.json
expect_status 3
expect_err "needs an RSA key"

cli_case "plugin check passes"
run "$WHK" plugin check "$WHK_TEST_BINARY_DIR/../lib/whk/plugins/sns.so"
expect_status 0

# wait_port FILE: waits up to 60 s for a port in FILE and prints it.
wait_port() {
    local port
    for _ in $(seq 600); do
        port=$(sed -n -e 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' \
            -e t -e 's|^\([0-9][0-9]*\)$|\1|p' "$1")
        [ -n "$port" ] && break
        sleep 0.1
    done
    echo "$port"
}

SNS_TEST_CERTIFICATE=cert.pem node "$WHK_TEST_SOURCE_DIR/providers-sns/receiver.mjs" \
    >receiver.port 2>receiver.err &
pids+=($!)
port=$(wait_port receiver.port)
if [ -z "$port" ]; then
    echo "FAIL: receiver.mjs did not start: $(cat receiver.err)"
    exit 1
fi
target="http://127.0.0.1:$port/webhooks/sns"

cli_case "test passes an sns-validator receiver"
for sample in notification notification-v2; do
    run "$WHK" test -p sns --key-file key.pem --target "$target" \
        --public-url https://hooks.example.com --sample $sample
    expect_status 0
done
run "$WHK" test -p sns --key-file key.pem --target "$target" \
    --public-url https://hooks.example.com --no-probes --json
expect_out '"name": "challenge subscription-confirmation"'

cli_case "test finds sns-validator's UnsubscribeConfirmation gap"
run "$WHK" test -p sns --key-file key.pem --target "$target" \
    --public-url https://hooks.example.com --sample unsubscribe-confirmation
expect_status 1
expect_out "The message signature is invalid."

cli_case "test fails a receiver that checks nothing"
run "$WHK" test -p sns --key-file key.pem --sample notification \
    --target "http://127.0.0.1:$port/webhooks/sns-unchecked" \
    --public-url https://hooks.example.com
expect_status 1
expect_out "the endpoint accepted a forged request"

cli_case "listen answers a confirmation and visits nothing"
"$WHK" listen -p sns --key-file cert.pem --port 0 --capture cap.jsonl \
    >listen.log 2>listen.err &
listen_pid=$!
pids+=($listen_pid)
lport=$(wait_port listen.log)
[ -n "$lport" ] || { echo "FAIL: whk listen did not start: $(cat listen.err)"; exit 1; }
run "$WHK" test -p sns --key-file key.pem --target "http://127.0.0.1:$lport/webhooks/sns" \
    --public-url https://hooks.example.com --no-probes
expect_status 0
kill -INT "$listen_pid"
wait "$listen_pid"
check
grep -q '"verdict":"valid"' cap.jsonl || fail "listen found no valid delivery"
check
grep -q 'SubscriptionConfirmation' cap.jsonl || fail "the confirmation was not captured"

cli_end
