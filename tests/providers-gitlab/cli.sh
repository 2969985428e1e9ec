#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GitLab: verify, the sign refusal, whk test against receiver.mjs, and
# listen and replay, checking that no output, message or capture record
# shows the secret token. Requests are written by hand from GitLab's
# documentation, independently of whk.
. "$WHK_TEST_SOURCE_DIR/cli/lib.sh"
cli_begin
cd "$WORK" || exit 1

secret=$(openssl rand -hex 20)
export GITLAB_WEBHOOK_SECRET=$secret
url=https://hooks.example.com/webhooks/gitlab
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait; rm -rf "$WORK"' EXIT

# request FILE TOKEN...: a raw push delivery with one X-Gitlab-Token line
# per TOKEN (none when no TOKEN is given).
request() {
    local file=$1 body='{"object_kind":"push","ref":"refs/heads/main"}'
    shift
    {
        printf 'POST /webhooks/gitlab HTTP/1.1\r\n'
        printf 'Host: hooks.example.com\r\nContent-Type: application/json\r\n'
        printf 'X-Gitlab-Event: Push Hook\r\n'
        printf 'Idempotency-Key: 5b7e9f1a-3c2d-4e6f-8a0b-1c2d3e4f5a6b\r\n'
        for token in "$@"; do printf 'X-Gitlab-Token: %s\r\n' "$token"; done
        printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body"
    } >"$file"
}

# wait_port FILE: waits up to 60 s, for a loaded machine, until FILE has a
# "listening on http://127.0.0.1:PORT" line or a bare port, and prints it.
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

# expect_no_secret: neither stdout nor stderr of the last run shows it.
expect_no_secret() {
    expect_out_lacks "$secret"
    expect_err_lacks "$secret"
}

cli_case "verify accepts the token GitLab sends"
request good.http "$secret"
run "$WHK" verify -p gitlab --url $url good.http
expect_status 0
expect_out "equals the secret token"
expect_no_secret

cli_case "verify rejects a wrong, missing or repeated token"
request wrong.http "${secret%?}x"
run "$WHK" verify -p gitlab --url $url wrong.http
expect_status 1
expect_out "differs from the secret token"
expect_no_secret
request missing.http
run "$WHK" verify -p gitlab --url $url missing.http --json
expect_status 1
expect_json reason missing_header
request twice.http "$secret" "$secret"
run "$WHK" verify -p gitlab --url $url twice.http
expect_status 1
expect_out "more than one X-Gitlab-Token"
expect_no_secret

cli_case "verify rejects a pasted secret with a newline"
printf '%s\n' "$secret" >newline.secret
run "$WHK" verify -p gitlab --url $url --secret-file newline.secret good.http
expect_status 3
expect_err "newline"
expect_no_secret

cli_case "sign refuses and names the variable, not the value"
run "$WHK" sign -p gitlab --sample push --url $url
expect_status 2
expect_err "whk test --provider gitlab"
expect_err 'X-Gitlab-Token: $GITLAB_WEBHOOK_SECRET'
expect_out_empty
expect_no_secret
run env MY_TOKEN="$secret" "$WHK" sign -p gitlab --secret-env MY_TOKEN \
    --sample push --url $url --curl http://localhost:3000
expect_status 2
expect_err 'X-Gitlab-Token: $MY_TOKEN'
expect_out_empty
expect_no_secret

cli_case "show and plugin check know the secret is sent as-is"
run "$WHK" show gitlab --json
expect_status 0
expect_json_contains secret '"sent_as_is":true'
run "$WHK" show gitlab
expect_status 0
expect_out "Samples (whk test --sample NAME)"
run "$WHK" plugin check "$WHK_TEST_BINARY_DIR/../lib/whk/plugins/gitlab.so"
expect_status 0
expect_out "SKIP  tampered-body"

# The receiver prints its port and validates as GitLab documents.
TOKEN_LOG=tokens.log node "$WHK_TEST_SOURCE_DIR/providers-gitlab/receiver.mjs" \
    >receiver.port 2>receiver.err &
pids+=($!)
port=$(wait_port receiver.port)
if [ -z "$port" ]; then
    echo "FAIL: receiver.mjs did not start: $(cat receiver.err)"
    exit 1
fi

cli_case "test passes a receiver that compares the token"
run "$WHK" test -p gitlab --target "http://127.0.0.1:$port/webhooks/gitlab" \
    --public-url https://hooks.example.com
expect_status 0
expect_out "forged signature"
expect_no_secret
# The forged probe's token must not be the secret with one character
# changed, or the endpoint's logs of rejected requests would hold it.
run node -e '
  const [log, secret] = process.argv.slice(1);
  const tokens = require("fs").readFileSync(log, "utf8").split("\n").filter(Boolean);
  const near = tokens.filter((t) => t !== secret &&
    [...t].filter((c, i) => c === secret[i]).length >= secret.length / 2);
  process.exit(tokens.length >= 2 && near.length === 0 ? 0 : 1);' tokens.log "$secret"
expect_status 0

cli_case "test fails a receiver that accepts a missing token"
run "$WHK" test -p gitlab --json \
    --target "http://127.0.0.1:$port/webhooks/gitlab-lenient" \
    --public-url https://hooks.example.com
expect_status 1
expect_out "missing signature"
expect_out "the endpoint accepted a forged request"
expect_no_secret

cli_case "listen redacts the token in its capture log"
"$WHK" listen -p gitlab --port 0 --capture cap.jsonl >listen.log 2>listen.err &
listen_pid=$!
pids+=($listen_pid)
lport=$(wait_port listen.log)
if [ -z "$lport" ]; then
    echo "FAIL: whk listen did not start: $(cat listen.err)"
    exit 1
fi
curl -sS -o /dev/null -H 'Content-Type: application/json' \
    -H 'X-Gitlab-Event: Push Hook' -H "X-Gitlab-Token: $secret" \
    -H 'Idempotency-Key: 0f0e0d0c-0b0a-4908-8706-050403020100' \
    --data-raw '{"object_kind":"push"}' "http://127.0.0.1:$lport/webhooks/gitlab"
kill -INT "$listen_pid"
wait "$listen_pid"
check
grep -qF '"verdict":"valid"' cap.jsonl || fail "the capture record is not valid"
check
grep -qF '[redacted by whk]' cap.jsonl || fail "the capture lacks the redaction"
check
if grep -qF -- "$secret" cap.jsonl listen.log listen.err; then
    fail "the secret is in the capture log or listen's output"
fi

cli_case "verify of a redacted record says why it fails"
run "$WHK" verify -p gitlab cap.jsonl
expect_status 1
expect_out "keeps no secret"
expect_no_secret

cli_case "replay --resign sends the token again"
run "$WHK" replay --capture cap.jsonl --resign \
    --target "http://127.0.0.1:$port/webhooks/gitlab"
expect_status 0
expect_no_secret
run "$WHK" replay --capture cap.jsonl \
    --target "http://127.0.0.1:$port/webhooks/gitlab"
expect_status 2
expect_err "pass --resign"
expect_no_secret

cli_end
