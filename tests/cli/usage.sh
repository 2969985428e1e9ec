#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whk command line itself: help, usage errors, unknown names, and
# the providers and show commands with the installed Twilio plugin.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin

export USAGE_SECRET=0c7d2e9f4b1a6e3d8c5f0a2b7e4d9c1f
url=https://hooks.example.com/sms

cli_case "whk without arguments"
run "$WHK"
expect_status 2
expect_err "usage: whk COMMAND [OPTIONS]"
expect_out_empty

cli_case "whk --help"
run "$WHK" --help
expect_status 0
expect_out "usage: whk COMMAND [OPTIONS]"
for command in providers show verify sign; do
    expect_out "  $command "
done
expect_err_empty

cli_case "whk --version"
run "$WHK" --version
expect_status 0
expect_out "whk "
expect_out "(plugin ABI "

cli_case "unknown command"
run "$WHK" frobnicate
expect_status 2
expect_err "whk: error: unknown command 'frobnicate'; 'whk --help' lists the commands"

for command in providers show verify sign; do
    cli_case "$command --help"
    run "$WHK" "$command" --help
    expect_status 0
    expect_out "usage: whk $command"
    expect_err_empty

    cli_case "$command -h"
    run "$WHK" "$command" -h
    expect_status 0
    expect_out "usage: whk $command"

    cli_case "$command with an unknown option"
    run "$WHK" "$command" --no-such-option
    expect_status 2
    expect_err "unrecognized option '--no-such-option'"
    expect_err "Try 'whk $command --help'."
    expect_out_empty
done

cli_case "verify --help documents the exit statuses"
run "$WHK" verify --help
expect_out "Exit status: 0 valid, 1 invalid, 2 usage or input error, 3 environment"

cli_case "providers lists twilio"
run "$WHK" providers
expect_status 0
expect_out "Messaging and Voice webhooks signed with X-Twilio-Signature"
# Column widths follow the longest name, so match the row with any spacing.
grep -qE '^twilio +Twilio +Messaging and Voice' "$OUT" ||
    fail "stdout lacks the twilio row"
expect_out_lacks "(plugin missing)"
expect_err_empty

cli_case "providers --json"
run "$WHK" providers --json
expect_status 0
check
node -e '
    const list = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const t = list.find((p) => p.name === "twilio");
    if (!t || t.module !== "twilio" || !t.plugin.endsWith("/twilio.so") ||
        !t.file.endsWith("/twilio.json"))
        process.exit(1);
' "$OUT" || fail "providers --json lacks twilio with its module, plugin and file"

cli_case "providers with an extra argument"
run "$WHK" providers twilio
expect_status 2
expect_err "whk: error: unexpected argument 'twilio'"

cli_case "show twilio"
run "$WHK" show twilio
expect_status 0
expect_out "Twilio (twilio)"
expect_out "  header:    X-Twilio-Signature"
expect_out "  secret:    TWILIO_AUTH_TOKEN"
expect_out "Samples (whk sign --sample NAME)"
expect_out "  inbound-sms "
expect_out "Common failures"
expect_err_empty

cli_case "show twilio --json"
run "$WHK" show twilio --json
expect_status 0
expect_json name twilio
expect_json signature_headers '["X-Twilio-Signature"]'
expect_json_contains secret '"env":"TWILIO_AUTH_TOKEN"'
expect_json_contains samples '"name":"inbound-sms"'

cli_case "show --sample prints the body"
run "$WHK" show twilio --sample inbound-sms
expect_status 0
expect_out "MessageSid="

cli_case "show --sample with an unknown name"
run "$WHK" show twilio --sample no-such-sample
expect_status 2
expect_err "whk: error: provider twilio has no sample 'no-such-sample'; 'whk show twilio' lists them"
expect_out_empty

cli_case "show without a provider"
run "$WHK" show
expect_status 2
expect_err "whk: error: show takes one provider name"

cli_case "show an unknown provider"
run "$WHK" show no-such-provider
expect_status 2
expect_err "whk: error: unknown provider 'no-such-provider'; 'whk providers' lists the installed ones"

cli_case "verify with an unknown provider"
run "$WHK" verify -p no-such-provider --secret-env USAGE_SECRET \
    --url "$url" --data Body=hi
expect_status 2
expect_err "whk: error: unknown provider 'no-such-provider'"

cli_case "sign with an unknown provider"
run "$WHK" sign -p no-such-provider --secret-env USAGE_SECRET --url "$url" \
    --data Body=hi
expect_status 2
expect_err "whk: error: unknown provider 'no-such-provider'"

cli_case "verify without a provider"
run "$WHK" verify --secret-env USAGE_SECRET --url "$url" --data Body=hi
expect_status 2
expect_err "whk: error: no provider given; pass --provider NAME"

cli_case "verify without a request"
run "$WHK" verify -p twilio --secret-env USAGE_SECRET --url "$url"
expect_status 2
expect_err "whk: error: no request given"

cli_case "verify with two request files"
run "$WHK" verify -p twilio --secret-env USAGE_SECRET a.http b.http
expect_status 2
expect_err "whk: error: unexpected argument 'b.http'; verify takes one request file"

cli_case "verify with a file and --data"
run "$WHK" verify -p twilio --secret-env USAGE_SECRET --url "$url" \
    --data Body=hi a.http
expect_status 2
expect_err "whk: error: give one request source: a FILE or --data"

cli_case "verify --now that is not a number"
run "$WHK" verify -p twilio --now soon --data Body=hi
expect_status 2
expect_err "whk: error: --now 'soon' is not a whole, non-negative number of seconds"

cli_case "verify --data with an invalid --url"
run "$WHK" verify -p twilio --secret-env USAGE_SECRET --url not-a-url \
    --data Body=hi
expect_status 2
expect_err "whk: error: invalid URL 'not-a-url': expected an absolute URL"
expect_out_empty

cli_case "verify --header without a colon"
run "$WHK" verify -p twilio --secret-env USAGE_SECRET --url "$url" \
    -H "X-Twilio-Signature" --data Body=hi
expect_status 2
expect_err "whk: error: --header 'X-Twilio-Signature' is not 'Name: value'"

cli_case "verify with --data and a signature header"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --url "$url" \
    --data "Body=hi&To=%2B14155550100"
expect_status 0
sig=$(output_header X-Twilio-Signature)
run "$WHK" verify -p twilio --secret-env USAGE_SECRET --url "$url" \
    -H "X-Twilio-Signature: $sig" --data "Body=hi&To=%2B14155550100"
expect_status 0
expect_out "valid: "

cli_case "sign without --url"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --data Body=hi
expect_status 2
expect_err "whk: error: sign needs --url with the public URL"

cli_case "sign --sample"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --url "$url" \
    --sample inbound-sms
expect_status 0
expect_out "X-Twilio-Signature: "

cli_case "sign --sample with an unknown name"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --url "$url" \
    --sample no-such-sample
expect_status 2
expect_err "whk: error: provider twilio has no sample 'no-such-sample'; its samples are:"
expect_err "  inbound-sms"
expect_out_empty

cli_case "sign --curl prints a command for the local target"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --url "$url" \
    --data "Body=hi" --curl http://127.0.0.1:3000
expect_status 0
expect_out "curl -sS -g -X POST 'http://127.0.0.1:3000/sms'"
expect_out "-H 'Host: hooks.example.com'"
expect_out "-H 'X-Twilio-Signature: "

cli_case "sign --curl with a target that is not a URL"
run "$WHK" sign -p twilio --secret-env USAGE_SECRET --url "$url" \
    --data "Body=hi" --curl localhost
expect_status 2
expect_err "whk: error: --curl 'localhost' is not an http:// or https:// URL"

cli_case "no output contains a secret"
expect_no_leak "$USAGE_SECRET"

cli_end
