#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk init: writes and merges whk.json, prints the dashboard fields,
# tunnel commands and JSON, and rejects bad input without touching the file.
source "$(dirname "$0")/lib.sh"

expect_status 0 "init new entry" "$WHK" init --provider twilio --port 3000 \
  --path /webhooks/twilio/sms --public-url "$PUBLIC"
expect_in out "$PUBLIC/webhooks/twilio/sms" "webhook URL filled in"
expect_in out "$PUBLIC/webhooks/twilio/sms/status" "status callback URL"
expect_in out "A message comes in: URL" "field name printed"
expect_in out "Messaging Configuration" "field section printed"
expect_in out "HTTP POST" "HTTP method field"
expect_not_in out '\x0a' "line breaks of the field table are not escaped"
if ! grep -qx "      $PUBLIC/webhooks/twilio/sms" out; then
  fail "the webhook URL is not on a line of its own"
fi
expect_in out "TWILIO_AUTH_TOKEN" "secret variable field"
expect_not_in out "{{" "no placeholder left"
expect_in whk.json '"port": 3000' "port written"
expect_in whk.json '"path": "/webhooks/twilio/sms"' "path written"
expect_in whk.json "\"public_url\": \"$PUBLIC\"" "public URL written"
expect_in whk.json '"secret_env": "TWILIO_AUTH_TOKEN"' "secret variable"

# A second run changes only what it is given; other entries stay.
cat >whk.json <<JSON
{"providers": {"other": {"port": 9000, "path": "/x", "extra": true},
 "twilio": {"port": 3000, "path": "/webhooks/twilio/sms",
  "public_url": "$PUBLIC", "note": "kept"}}}
JSON
expect_status 0 "init update" "$WHK" init --provider twilio --port 3100
expect_in out "updated whk.json" "update reported"
expect_in whk.json '"port": 3100' "port updated"
expect_in whk.json "\"public_url\": \"$PUBLIC\"" "public URL kept"
expect_in whk.json '"note": "kept"' "unknown key kept"
expect_in whk.json '"port": 9000' "other provider kept"
expect_in whk.json '"extra": true' "other provider's keys kept"

# JSON output carries the same content.
expect_status 0 "init --json" "$WHK" init --provider twilio --json
expect_in out '"webhook_url": "https://twilio-dev.example.com/webhooks/twilio/sms"' "json webhook URL"
expect_in out '"name": "A message comes in: URL"' "json field"
expect_in out '"port": 3100' "json port"
cp out init.json
if command -v node >/dev/null; then
  expect_status 0 "init --json parses" node -e \
    'JSON.parse(require("fs").readFileSync(0, "utf8"))' <init.json
fi

# Tunnels: the command for the port, and a predictable URL with a name.
rm -f whk.json
expect_status 0 "ngrok with subdomain" "$WHK" init -p twilio --port 3000 \
  --path /sms --tunnel ngrok --subdomain my-app
expect_in out "ngrok http 3000 --domain=my-app.ngrok-free.app" "ngrok command"
expect_in out "https://my-app.ngrok-free.app/sms" "ngrok URL derived"
expect_in whk.json '"public_url": "https://my-app.ngrok-free.app"' "ngrok URL saved"
expect_status 0 "localtunnel" "$WHK" init -p twilio --tunnel localtunnel \
  --subdomain my-app
expect_in out "npx localtunnel --port 3000 --subdomain my-app" "localtunnel command"
expect_in out "https://my-app.loca.lt/sms" "localtunnel URL derived"
expect_status 0 "instatunnel" "$WHK" init -p twilio --tunnel instatunnel \
  --subdomain my-app --public-url https://given.example.com
expect_in out "instatunnel --port 3000 --subdomain my-app" "instatunnel command"
expect_in out "https://given.example.com/sms" "--public-url beats the tunnel"
rm -f whk.json
expect_status 0 "cloudflared" "$WHK" init -p twilio --port 3000 --path /sms \
  --tunnel cloudflared
expect_in out "cloudflared tunnel --url http://localhost:3000" "cloudflared command"
expect_in out "<public URL>/sms" "no URL without a fixed name"
expect_in err "needs a public HTTPS URL" "warning without a public URL"
expect_status 2 "unknown tunnel" "$WHK" init -p twilio --tunnel frp
expect_in err "--tunnel 'frp'" "unknown tunnel named"

# Bad input: a clear error, exit 2, whk.json untouched.
cp whk.json before.json
expect_status 2 "port zero" "$WHK" init -p twilio --port 0
expect_in err "--port '0'" "port zero named"
expect_status 2 "port text" "$WHK" init -p twilio --port http
expect_in err "--port 'http'" "port text named"
expect_status 2 "port too large" "$WHK" init -p twilio --port 70000
expect_status 2 "path with a space" "$WHK" init -p twilio --path '/x y' \
  --public-url "$PUBLIC"
expect_in err "percent-encode it" "a path with a space is explained"
expect_status 2 "public URL not http" "$WHK" init -p twilio \
  --public-url ftp://files.example.com
expect_in err "is not an http:// or https:// URL" "an ftp URL is rejected"
expect_status 2 "relative path" "$WHK" init -p twilio --path webhooks
expect_in err "--path 'webhooks' must start with '/'" "path named"
expect_status 2 "unknown provider" "$WHK" init -p nosuch --port 3000 --path /x
expect_in err "nosuch" "provider named"
expect_status 2 "relative public URL" "$WHK" init -p twilio \
  --public-url example.com
expect_in err "--public-url 'example.com'" "public URL named"
expect_status 2 "public URL with a query" "$WHK" init -p twilio --port 3000 \
  --path /x --public-url 'https://z.example.com/base?x=1'
expect_in err "--public-url 'https://z.example.com/base?x=1' has a query" "query named"
expect_status 0 "file unchanged" cmp whk.json before.json

# A malformed whk.json is reported with line and column, never rewritten.
printf '{"providers": {\n  "twilio": {"port": 3000,,}\n}}\n' >whk.json
cp whk.json broken.json
expect_status 2 "malformed whk.json" "$WHK" init -p twilio --port 3000 \
  --path /x
expect_in err "whk.json:2:" "line reported"
expect_status 0 "malformed file kept" cmp whk.json broken.json

# A byte-order mark gets its own explanation.
printf '\357\273\277{"providers": {}}\n' >whk.json
expect_status 2 "whk.json with a byte-order mark" "$WHK" test
expect_in err "starts with a UTF-8 byte-order mark" "byte-order mark named"

# Several providers and no --provider: the error lists them.
rm -f whk.json
"$WHK" init -p twilio --port 3000 --path /a >/dev/null 2>&1
"$WHK" init -p stripe --port 3001 --path /b >/dev/null 2>&1
expect_status 2 "two providers, no --provider" "$WHK" test
expect_in err "sets up several providers (twilio, stripe)" "providers listed"

# No port or path yet for a new entry.
rm -f whk.json
expect_status 2 "missing port" "$WHK" init -p twilio --path /x
expect_in err "pass --port PORT" "missing port explained"
expect_status 1 "nothing written" test -e whk.json

finish
