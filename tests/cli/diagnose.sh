#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk verify's diagnosis of the mistakes users make with Twilio: the
# cause, fix, hint and note lines, and the same findings in --json.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin

# Distinctive secrets, so the search for leaks at the end cannot match
# anything else. The first has the auth token's form: 32 hex digits.
export DIAG_SECRET=9d4e1c7b2a8f6035e1d9c4b7a2f80e63
ACCOUNT_SID=AC5e0f1a2b3c4d5e6f708192a3b4c5d6e7

form="$WORK/form.txt"
printf 'Body=Hello+there&From=%%2B14155550123&MessageSid=SM0123&To=%%2B14155550100' >"$form"
form_type="Content-Type: application/x-www-form-urlencoded"

# sign URL BODY_FILE [HEADER...]: signs as Twilio would with DIAG_SECRET
# and stores the signature in SIG.
sign() {
    local url=$1 body=$2
    shift 2

    local headers=()
    local header
    for header in "$@"; do
        headers+=(-H "$header")
    done
    run "$WHK" sign -p twilio --secret-env DIAG_SECRET --url "$url" \
        "${headers[@]}" --data "@$body"
    expect_status 0
    SIG=$(output_header X-Twilio-Signature)
    check
    [ -n "$SIG" ] || fail "whk sign printed no X-Twilio-Signature line"
}

verify() {
    run "$WHK" verify -p twilio --secret-env DIAG_SECRET "$@"
}

public=https://hooks.example.com

cli_case "scheme: http given, https signed"
sign "$public/sms" "$form"
write_request "$WORK/scheme.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url http://hooks.example.com/sms "$WORK/scheme.http"
expect_status 1
expect_out "invalid: X-Twilio-Signature does not match"
expect_out "  cause: the signature matches $public/sms: the scheme is https, not http"
expect_out "  fix:   the provider signed $public/sms; verify with --url '$public/sms'"
verify --url http://hooks.example.com/sms --json "$WORK/scheme.http"
expect_status 1
expect_json status invalid
expect_json valid false
expect_json reason mismatch
expect_json url http://hooks.example.com/sms
expect_json matching_url "$public/sms"
expect_json_contains cause "the scheme is https, not http"
expect_json_contains fix "verify with --url '$public/sms'"

cli_case "scheme: https given, http signed"
sign http://hooks.example.com/sms "$form"
write_request "$WORK/http.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" --json "$WORK/http.http"
expect_status 1
expect_json matching_url http://hooks.example.com/sms
expect_json_contains cause "the scheme is http, not https"

cli_case "port: explicit :443 given, none signed"
sign "$public/sms" "$form"
write_request "$WORK/port.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url https://hooks.example.com:443/sms "$WORK/port.http"
expect_status 0
expect_out "valid: X-Twilio-Signature matches the HMAC-SHA-1 signature of $public/sms"
expect_out "  note:  matched with the port removed"

cli_case "port: none given, explicit :443 signed"
sign https://hooks.example.com:443/sms "$form"
write_request "$WORK/port443.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/port443.http"
expect_status 0
expect_out "of https://hooks.example.com:443/sms"
expect_out "  note:  matched with the port added"

cli_case "port: none given, explicit :80 signed on http"
sign http://hooks.example.com:80/sms "$form"
write_request "$WORK/port80.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url http://hooks.example.com/sms "$WORK/port80.http"
expect_status 0
expect_out "  note:  matched with the port added"

cli_case "port: none given, :8443 signed and in Host"
sign https://hooks.example.com:8443/sms "$form"
write_request "$WORK/port8443.http" POST /sms "$form" \
    "Host: hooks.example.com:8443" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/port8443.http"
expect_status 1
expect_out "  cause: the signature matches https://hooks.example.com:8443/sms: the host is hooks.example.com:8443 (from the Host header), not hooks.example.com"
verify --url "$public/sms" --json "$WORK/port8443.http"
expect_json matching_url https://hooks.example.com:8443/sms

cli_case "trailing slash: signed with one, given without"
# A proxy strips /twilio, so the request target does not show the path.
sign "$public/twilio/sms/" "$form"
write_request "$WORK/slash.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/twilio/sms" "$WORK/slash.http"
expect_status 1
expect_out "  cause: the signature matches $public/twilio/sms/: the path and query are '/twilio/sms/' (trailing slash), not '/twilio/sms'"
verify --url "$public/twilio/sms" --json "$WORK/slash.http"
expect_json matching_url "$public/twilio/sms/"

cli_case "trailing slash: signed without one, given with"
sign "$public/twilio/sms" "$form"
write_request "$WORK/noslash.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/twilio/sms/" --json "$WORK/noslash.http"
expect_status 1
expect_json matching_url "$public/twilio/sms"
expect_json_contains cause "(trailing slash)"

cli_case "query: --url lacks the request target's query string"
sign "$public/sms?tenant=42&lang=en" "$form"
write_request "$WORK/query.http" POST "/sms?tenant=42&lang=en" "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/query.http"
expect_status 1
expect_out "  cause: the signature matches $public/sms?tenant=42&lang=en: the path and query are '/sms?tenant=42&lang=en' (the request target), not '/sms'"
expect_out "  fix:   the provider signed $public/sms?tenant=42&lang=en; verify with --url '$public/sms?tenant=42&lang=en'"
verify --url "$public/sms" --json "$WORK/query.http"
expect_json matching_url "$public/sms?tenant=42&lang=en"

cli_case "query: --url has a query string the provider did not sign"
sign "$public/sms" "$form"
write_request "$WORK/extra-query.http" POST /internal/sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms?debug=1" --json "$WORK/extra-query.http"
expect_status 1
expect_json matching_url "$public/sms"
expect_json_contains cause "(no query string)"

cli_case "host: local URL given, public host in Host"
sign "$public/sms" "$form"
write_request "$WORK/host.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url https://localhost:3000/sms "$WORK/host.http"
expect_status 1
expect_out "  cause: the signature matches $public/sms: the host is hooks.example.com (from the Host header), not localhost:3000"
verify --url https://localhost:3000/sms --json "$WORK/host.http"
expect_json matching_url "$public/sms"

cli_case "host: local URL over http, public host in X-Forwarded-Host"
sign https://abc.tunnel.example/sms "$form"
write_request "$WORK/forwarded.http" POST /sms "$form" \
    "Host: localhost:3000" "X-Forwarded-Host: abc.tunnel.example" \
    "X-Forwarded-Proto: https" "$form_type" "X-Twilio-Signature: $SIG"
verify --url http://localhost:3000/sms --json "$WORK/forwarded.http"
expect_status 1
expect_json matching_url https://abc.tunnel.example/sms
expect_json_contains cause "the scheme is https, not http; the host is abc.tunnel.example (from the X-Forwarded-Host header), not localhost:3000"

cli_case "host: public URL given, local Host header (valid, hint)"
verify --url https://abc.tunnel.example/sms "$WORK/forwarded.http"
expect_status 0
expect_out "valid: "
expect_out "  hint:  the request arrived with Host: localhost:3000, but its signature was verified against https://abc.tunnel.example/sms"
verify --url https://abc.tunnel.example/sms --json "$WORK/forwarded.http"
expect_json status valid
expect_json_contains hints "Host: localhost:3000"
expect_json cause null
expect_json matching_url null

cli_case "target: request path differs from the signed path (valid, hint)"
sign "$public/twilio/sms" "$form"
write_request "$WORK/rewritten.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/twilio/sms" "$WORK/rewritten.http"
expect_status 0
expect_out "  hint:  the request target is '/sms', but the signed URL is $public/twilio/sms"

# The requests below are signed for $public/sms and arrive as /sms.
sign "$public/sms" "$form"
ok_sig=$SIG
write_request "$WORK/ok.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $ok_sig"

cli_case "secret: file with a trailing newline"
echo "$DIAG_SECRET" >"$WORK/newline.secret"
run "$WHK" verify -p twilio --secret-file "$WORK/newline.secret" \
    --url "$public/sms" "$WORK/ok.http"
expect_status 1
expect_out "  cause: the secret from file $WORK/newline.secret ends with a newline; the signature matches the secret without the surrounding whitespace"
expect_out "  fix:   remove the whitespace from the secret (write files with printf '%s', not echo)"
run "$WHK" verify -p twilio --secret-file "$WORK/newline.secret" \
    --url "$public/sms" --json "$WORK/ok.http"
expect_json status invalid
expect_json reason mismatch
expect_json_contains cause "ends with a newline"
expect_json matching_url null

cli_case "secret: sign rejects a file with a trailing newline"
run "$WHK" sign -p twilio --secret-file "$WORK/newline.secret" \
    --url "$public/sms" --data "@$form"
expect_status 3
expect_err "the secret from file $WORK/newline.secret ends with a newline"
expect_out_empty

cli_case "secret: environment value with surrounding spaces"
run env "SPACED_SECRET=  $DIAG_SECRET  " "$WHK" verify -p twilio \
    --secret-env SPACED_SECRET --url "$public/sms" "$WORK/ok.http"
expect_status 1
expect_out "  cause: the secret from environment variable SPACED_SECRET ends with whitespace; the signature matches the secret without the surrounding whitespace"

cli_case "secret: environment value with leading spaces"
run env "SPACED_SECRET=  $DIAG_SECRET" "$WHK" verify -p twilio \
    --secret-env SPACED_SECRET --url "$public/sms" "$WORK/ok.http"
expect_status 1
expect_out "  cause: the secret from environment variable SPACED_SECRET starts with whitespace"

cli_case "secret: an Account SID instead of the auth token"
run env "ACCOUNT_SID=$ACCOUNT_SID" "$WHK" verify -p twilio \
    --secret-env ACCOUNT_SID --url "$public/sms" "$WORK/ok.http"
expect_status 1
expect_out "  note:  the secret starts with 'AC' like an Account SID; Twilio signs with the auth token"
run env "ACCOUNT_SID=$ACCOUNT_SID" "$WHK" verify -p twilio \
    --secret-env ACCOUNT_SID --url "$public/sms" --json "$WORK/ok.http"
expect_json_contains notes "like an Account SID"

cli_case "json: --url lacks the bodySHA256 of the request target"
printf '{"MessageSid": "SM0123", "Body": "Hello"}' >"$WORK/body.json"
run "$WHK" sign -p twilio --secret-env DIAG_SECRET --url "$public/sms" \
    -H "Content-Type: application/json" --data "@$WORK/body.json" --json
expect_status 0
signed_url=$(json_field url)
json_sig=$(node -e 'const h = JSON.parse(require("fs").readFileSync(process.argv[1]));
                    process.stdout.write(h.headers[0].value)' "$OUT")
check
case "$signed_url" in
"$public/sms?bodySHA256="*) ;;
*) fail "sign --json printed URL '$signed_url', expected a bodySHA256 query" ;;
esac
write_request "$WORK/json.http" POST "${signed_url#"$public"}" \
    "$WORK/body.json" "Host: hooks.example.com" \
    "Content-Type: application/json" "X-Twilio-Signature: $json_sig"
verify --url "$signed_url" "$WORK/json.http"
expect_status 0
verify --url "$public/sms" "$WORK/json.http"
expect_status 1
expect_out "  note:  the body is JSON but the URL has no bodySHA256 parameter"
expect_out "(the request target), not '/sms'"
verify --url "$public/sms" --json "$WORK/json.http"
expect_json matching_url "$signed_url"
expect_json_contains notes "bodySHA256"

cli_case "json: no bodySHA256 anywhere"
write_request "$WORK/json-bare.http" POST /sms "$WORK/body.json" \
    "Host: hooks.example.com" "Content-Type: application/json" \
    "X-Twilio-Signature: $json_sig"
verify --url "$public/sms" "$WORK/json-bare.http"
expect_status 1
expect_out "  note:  the body is JSON but the URL has no bodySHA256 parameter"
expect_out "  fix:   "

cli_case "form: field with surrounding whitespace (valid, hint)"
printf 'Body=+Hello+there+&From=%%2B14155550123' >"$WORK/spaced.txt"
sign "$public/sms" "$WORK/spaced.txt"
write_request "$WORK/spaced.http" POST /sms "$WORK/spaced.txt" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/spaced.http"
expect_status 0
expect_out "  hint:  form field 'Body' has surrounding whitespace"
verify --url "$public/sms" --json "$WORK/spaced.http"
expect_json status valid
expect_json_contains hints "form field 'Body' has surrounding whitespace"

cli_case "form: signer trimmed the values"
printf 'Body=Hello+there&From=%%2B14155550123' >"$WORK/trimmed.txt"
sign "$public/sms" "$WORK/trimmed.txt"
write_request "$WORK/trimmed.http" POST /sms "$WORK/spaced.txt" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/trimmed.http"
expect_status 1
expect_out "  cause: the signature matches the form fields with their surrounding whitespace removed: the signer trimmed the values"
expect_out "  fix:   sign the form values exactly as they are sent"
verify --url "$public/sms" --json "$WORK/trimmed.http"
expect_json reason mismatch
expect_json_contains cause "the signer trimmed the values"
expect_json matching_url null

cli_case "header: no X-Twilio-Signature"
write_request "$WORK/unsigned.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type"
verify --url "$public/sms" "$WORK/unsigned.http"
expect_status 1
expect_out "invalid: the request has no X-Twilio-Signature header"
expect_out "  fix:   "
verify --url "$public/sms" --json "$WORK/unsigned.http"
expect_json status invalid
expect_json reason missing_header
expect_json matching_url null

cli_case "header: X-Twilio-Signature that is not base64 of a digest"
for bad in '!!!notbase64' 'c2hvcnQ=' ''; do
    write_request "$WORK/malformed.http" POST /sms "$form" \
        "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $bad"
    verify --url "$public/sms" --json "$WORK/malformed.http"
    expect_status 1
    expect_json reason malformed_header
    expect_json_contains message "is not the base64 of an HMAC-SHA-1 value (28 characters"
done

cli_case "header: two X-Twilio-Signature headers"
sign "$public/sms" "$form"
write_request "$WORK/twice.http" POST /sms "$form" \
    "Host: hooks.example.com" "$form_type" "X-Twilio-Signature: $SIG" \
    "X-Twilio-Signature: AAAAAAAAAAAAAAAAAAAAAAAAAAA="
verify --url "$public/sms" "$WORK/twice.http"
expect_status 0
expect_out "note:  the request has more than one X-Twilio-Signature header"

cli_case "no --url: rebuilt from Host and X-Forwarded-Proto"
write_request "$WORK/proxied.http" POST /sms "$form" \
    "Host: hooks.example.com" "X-Forwarded-Proto: https" "$form_type" \
    "X-Twilio-Signature: $ok_sig"
verify "$WORK/proxied.http"
expect_status 0
expect_out "valid: X-Twilio-Signature matches the HMAC-SHA-1 signature of $public/sms"
expect_err "whk: warning: no --url given: using $public/sms, rebuilt from the Host and X-Forwarded-Proto headers"

cli_case "no --url: Host alone means https"
verify "$WORK/ok.http"
expect_status 0
expect_err "whk: warning: no --url given: using $public/sms, rebuilt from the Host header with https, since X-Forwarded-Proto is absent"

cli_case "no --url: X-Forwarded-Proto http, https signed"
write_request "$WORK/proxied-http.http" POST /sms "$form" \
    "Host: hooks.example.com" "X-Forwarded-Proto: http" "$form_type" \
    "X-Twilio-Signature: $ok_sig"
verify "$WORK/proxied-http.http"
expect_status 1
expect_err "whk: warning: no --url given: using http://hooks.example.com/sms"
expect_out "  cause: the signature matches $public/sms: the scheme is https, not http"

cli_case "no --url: X-Forwarded-Host is the public host"
verify --json "$WORK/forwarded.http"
expect_status 0
expect_json url https://abc.tunnel.example/sms
expect_err "using https://abc.tunnel.example/sms, rebuilt from the X-Forwarded-Host and X-Forwarded-Proto headers"

cli_case "no --url: X-Forwarded-Host lists several hosts"
write_request "$WORK/forwarded-list.http" POST /sms "$form" \
    "Host: localhost:3000" \
    "X-Forwarded-Host: hooks.example.com, edge.internal" \
    "X-Forwarded-Proto: https, http" "$form_type" \
    "X-Twilio-Signature: $ok_sig"
verify "$WORK/forwarded-list.http"
expect_status 0
expect_err "using $public/sms, rebuilt from the X-Forwarded-Host"

cli_case "no --url and no Host"
write_request "$WORK/hostless.http" POST /sms "$form" "$form_type" \
    "X-Twilio-Signature: $ok_sig"
verify "$WORK/hostless.http"
expect_status 2
expect_err "whk: error: no public URL: pass --url"
expect_out_empty

cli_case "no --url: X-Forwarded-Proto in capitals"
sign "$public/sms" "$form"
write_request "$WORK/caps.http" POST /sms "$form" \
    "Host: hooks.example.com" "X-Forwarded-Proto: HTTPS" "$form_type" \
    "X-Twilio-Signature: $SIG"
verify "$WORK/caps.http"
expect_status 0
expect_err "using $public/sms, rebuilt from the Host and X-Forwarded-Proto headers"

cli_case "no --url: a local Host header gets a warning"
write_request "$WORK/local.http" POST /sms "$form" \
    "Host: localhost:3000" "$form_type" "X-Twilio-Signature: $SIG"
verify "$WORK/local.http"
expect_status 1
expect_err "the Host header names this machine (localhost:3000)"
expect_out "  cause: no variant of the URL"

cli_case "fragment: --url has one the provider did not sign"
verify --url "$public/sms#rc=3" "$WORK/caps.http"
expect_status 1
expect_out "  cause: the signature matches $public/sms: the path and query are '/sms' (no fragment), not '/sms#rc=3'"

cli_case "wrong secret: no variant matches"
run env DIAG_OTHER=0000000000000000000000000000000f "$WHK" verify -p twilio \
    --secret-env DIAG_OTHER --url "$public/sms" "$WORK/caps.http"
expect_status 1
expect_out "  cause: no variant of the URL, the secret's whitespace or the form values matches, so the secret is the likely cause"

cli_case "host: Host with the default port is the same host (no hint)"
write_request "$WORK/port443.http" POST /sms "$form" \
    "Host: hooks.example.com:443" "$form_type" "X-Twilio-Signature: $SIG"
verify --url "$public/sms" "$WORK/port443.http"
expect_status 0
expect_out_lacks "hint:"

cli_case "no output contains a secret"
expect_no_leak "$DIAG_SECRET" "$ACCOUNT_SID"

cli_end
