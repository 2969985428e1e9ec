#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk sign and whk verify against the published Twilio signature vectors
# in tests/vectors/twilio.json, and tampered copies of each.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin

vectors="$WHK_TEST_SOURCE_DIR/vectors/twilio.json"

# Expands each case into a folder of plain files: url, method,
# content_type, token, signature, host and target (split from the URL
# without normalizing it), body, and tampered_body (one value changed).
node - "$vectors" "$WORK/vectors" <<'EOF'
const fs = require("fs");
const path = require("path");
const [file, out] = process.argv.slice(2);
const { cases } = JSON.parse(fs.readFileSync(file, "utf8"));

for (const c of cases) {
    const dir = path.join(out, c.name);
    const parts = /^([a-z]+):\/\/([^/?#]+)(.*)$/.exec(c.url);
    let body, tampered;

    if (c.params) {
        const form = new URLSearchParams(c.params);
        body = form.toString();
        const last = c.params.length - 1;
        const changed = c.params.map(([k, v], i) => [k, i === last ? v + "0" : v]);
        tampered = new URLSearchParams(changed).toString();
    } else {
        body = c.body;
        // A form body gets one more character in its last value; an
        // invalid byte could change into another that decodes the same.
        tampered = c.content_type === "application/json"
            ? c.body.replace("value", "other") : c.body + "0";
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, value] of Object.entries({
        url: c.url, method: c.method, content_type: c.content_type,
        token: c.token, signature: c.signature, host: parts[2],
        target: parts[3] || "/", body, tampered_body: tampered,
    }))
        fs.writeFileSync(path.join(dir, name), value);
}
EOF
if [ $? -ne 0 ] || [ -z "$(ls "$WORK/vectors" 2>/dev/null)" ]; then
    echo "FAIL: cannot read the vectors in $vectors"
    exit 1
fi

# Changes the first character of a signature, keeping it base64.
tamper_signature() {
    case "$1" in
    A*) echo "B${1#?}" ;;
    *) echo "A${1#?}" ;;
    esac
}

for dir in "$WORK"/vectors/*; do
    name=$(basename "$dir")
    url=$(cat "$dir/url")
    method=$(cat "$dir/method")
    content_type=$(cat "$dir/content_type")
    signature=$(cat "$dir/signature")
    host=$(cat "$dir/host")
    target=$(cat "$dir/target")
    token_file="$dir/token"

    cli_case "$name: sign reproduces the signature"
    run env "WHK_VECTOR_TOKEN=$(cat "$token_file")" "$WHK" sign -p twilio \
        --secret-env WHK_VECTOR_TOKEN --url "$url" -X "$method" \
        -H "Content-Type: $content_type" --data "@$dir/body"
    expect_status 0
    expect_out "X-Twilio-Signature: $signature"

    cli_case "$name: sign --json reproduces the signature and URL"
    run "$WHK" sign -p twilio --secret-file "$token_file" --url "$url" \
        -X "$method" -H "Content-Type: $content_type" --data "@$dir/body" \
        --json
    expect_status 0
    expect_json url "$url"
    expect_json headers "[{\"name\":\"X-Twilio-Signature\",\"value\":\"$signature\"}]"

    request="$dir/request.http"
    write_request "$request" "$method" "$target" "$dir/body" \
        "Host: $host" "Content-Type: $content_type" \
        "X-Twilio-Signature: $signature"

    cli_case "$name: verify says valid"
    run "$WHK" verify -p twilio --secret-file "$token_file" --url "$url" \
        "$request"
    expect_status 0
    expect_out "valid: X-Twilio-Signature matches"
    expect_out_lacks "invalid"

    cli_case "$name: verify --json says valid"
    run "$WHK" verify -p twilio --secret-file "$token_file" --url "$url" \
        --json "$request"
    expect_status 0
    expect_json status valid
    expect_json valid true
    expect_json reason match
    expect_json url "$url"

    cli_case "$name: verify reads the request from standard input"
    run --stdin "$request" "$WHK" verify -p twilio \
        --secret-file "$token_file" --url "$url" -
    expect_status 0
    expect_out "valid: X-Twilio-Signature matches"

    cli_case "$name: tampered body is invalid"
    write_request "$dir/tampered-body.http" "$method" "$target" \
        "$dir/tampered_body" "Host: $host" "Content-Type: $content_type" \
        "X-Twilio-Signature: $signature"
    run "$WHK" verify -p twilio --secret-file "$token_file" --url "$url" \
        --json "$dir/tampered-body.http"
    expect_status 1
    expect_json status invalid
    if [ "$content_type" = application/json ]; then
        # The URL still matches its signature; the body no longer matches
        # the URL's bodySHA256.
        expect_json reason body_hash_mismatch
    else
        expect_json reason mismatch
    fi

    cli_case "$name: tampered signature is invalid"
    write_request "$dir/tampered-signature.http" "$method" "$target" \
        "$dir/body" "Host: $host" "Content-Type: $content_type" \
        "X-Twilio-Signature: $(tamper_signature "$signature")"
    run "$WHK" verify -p twilio --secret-file "$token_file" --url "$url" \
        "$dir/tampered-signature.http"
    expect_status 1
    expect_out "invalid: X-Twilio-Signature does not match"

    cli_case "$name: another query string is invalid"
    if [[ $url == *\?* ]]; then
        other_url="$url&tampered=1"
    else
        other_url="$url?tampered=1"
    fi
    run "$WHK" verify -p twilio --secret-file "$token_file" \
        --url "$other_url" "$request"
    expect_status 1
    expect_out "invalid: "

    cli_case "$name: another token is invalid"
    run env WHK_VECTOR_TOKEN=54321 "$WHK" verify -p twilio \
        --secret-env WHK_VECTOR_TOKEN --url "$url" "$request"
    expect_status 1
    expect_out "invalid: X-Twilio-Signature does not match"
done

cli_case "no output contains a token"
# No command above prints the form parameters, where "12345" also occurs.
expect_no_leak 12345 54321

cli_end
