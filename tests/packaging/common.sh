# SPDX-License-Identifier: MIT
# Helpers for the packaging tests: finding .deb files, unpacking them into
# a scratch root, and running the whk found there.

failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# deb NAME: the path of package NAME's .deb in $packages.
deb() {
  local file
  file=$(ls "$packages/$1"_*.deb 2>/dev/null | head -1)
  if [ -z "$file" ]; then
    echo "no package $1 in $packages" >&2
    return 1
  fi
  echo "$file"
}

# unpack ROOT NAME...: extracts the packages into ROOT, as dpkg would
# install them, without touching the system.
unpack() {
  local root=$1 name file
  shift
  rm -rf "$root"
  mkdir -p "$root"
  for name in "$@"; do
    file=$(deb "$name") || return 1
    dpkg-deb -x "$file" "$root"
  done
}

# root_whk ROOT ARGS...: runs ROOT's whk, which finds its libwhk, plugins
# and providers.d files under ROOT.
root_whk() {
  local root=$1 lib
  shift
  lib=$(dirname "$(find "$root" -name 'libwhk.so.0' | head -1)")
  env -u WHK_PLUGIN_PATH -u WHK_PROVIDERS_PATH LD_LIBRARY_PATH="$lib" \
    "$root/usr/bin/whk" "$@"
}

# finish NAME: reports and exits with the test's status.
finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$1: $failures failures"
    exit 1
  fi
  echo "$1: passed"
}

# twilio_round_trip ROOT: signs a Twilio sample with ROOT's whk and
# verifies it back, then verifies a changed body, which must fail.
twilio_round_trip() {
  local root=$1 url=https://example.com/webhooks/sms header body status
  export TWILIO_AUTH_TOKEN=0123456789abcdef0123456789abcdef
  header=$(root_whk "$root" sign --provider twilio --url "$url" \
    --sample inbound-sms) || {
    fail "whk sign --provider twilio failed: $header"
    return
  }
  body=$(root_whk "$root" show twilio --sample inbound-sms)
  root_whk "$root" verify --provider twilio --url "$url" -H "$header" \
    -H "Content-Type: application/x-www-form-urlencoded" --data "$body" \
    >/dev/null || fail "whk verify rejects what whk sign signed for twilio"
  root_whk "$root" verify --provider twilio --url "$url" -H "$header" \
    -H "Content-Type: application/x-www-form-urlencoded" \
    --data "$body&Extra=1" >/dev/null
  status=$?
  [ "$status" -eq 1 ] || fail "whk verify exited $status on a changed body"
}

# provider_names JSON_FILE: the names in 'whk providers --json' output.
provider_names() {
  node -e '
    const list = JSON.parse(require("fs").readFileSync(process.argv[1]));
    console.log(list.map((p) => p.name).join(" "));
  ' "$1"
}
