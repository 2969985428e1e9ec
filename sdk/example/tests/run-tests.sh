#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests the Acme plugin built in this folder, before it is installed, with
# the whk in $WHK: the conformance check, signatures compared with
# openssl's HMAC, and whk verify on valid, changed, stale and rotated
# deliveries.
set -u
cd "$(dirname "$0")/.."
WHK=${WHK:-whk}
export WHK_PLUGIN_PATH="$PWD" WHK_PROVIDERS_PATH="$PWD/providers.d"
# A made-up secret for these tests only.
export ACME_WEBHOOK_SECRET="acme_test_3f9d2c7b1a6e4f08b5d9c2e7"
url=https://app.example.com/webhooks/acme
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# hmac TIMESTAMP BODY: the signature computed by openssl, not by whk.
hmac() {
  printf 'v1:%s:%s' "$1" "$2" |
    openssl dgst -sha256 -mac HMAC -macopt "key:$ACME_WEBHOOK_SECRET" |
    sed 's/.*= //'
}

# verify TIMESTAMP SIGNATURE_HEADER BODY: whk verify's exit status.
verify() {
  "$WHK" verify --provider acme --url "$url" \
    -H "Content-Type: application/json" -H "Acme-Timestamp: $1" \
    -H "Acme-Signature: $2" --data "$3" >verify.out 2>&1
}

"$WHK" plugin check ./acme.so --entry providers.d/acme.json ||
  fail "whk plugin check found problems"

now=$(date +%s)
body=$("$WHK" show acme --sample parcel-delivered)
expected=$(hmac "$now" "$body")
signed=$("$WHK" sign --provider acme --url "$url" --sample parcel-delivered \
  --timestamp "$now")
echo "$signed" | grep -qx "Acme-Signature: v1=$expected" ||
  fail "whk sign printed '$signed'; openssl computes v1=$expected"

verify "$now" "v1=$expected" "$body" ||
  fail "a delivery signed by openssl does not verify: $(cat verify.out)"
changed=$(echo "$body" | sed 's/AC123456789/AC123456780/')
verify "$now" "v1=$expected" "$changed"
[ $? -eq 1 ] || fail "a changed body was not rejected: $(cat verify.out)"
old=$((now - 1000))
verify "$old" "v1=$(hmac "$old" "$body")" "$body"
[ $? -eq 1 ] && grep -q "in the past" verify.out ||
  fail "a stale timestamp was not rejected as old: $(cat verify.out)"
verify "$now" "v1=$(hmac "$now" other) v1=$expected" "$body" ||
  fail "a rotated pair of signatures does not verify: $(cat verify.out)"

ACME_WEBHOOK_SECRET=short "$WHK" sign --provider acme --url "$url" \
  --sample parcel-delivered >verify.out 2>&1
[ $? -eq 3 ] && grep -q "at least 24" verify.out ||
  fail "a short secret was not rejected: $(cat verify.out)"

rm -f verify.out
if [ "$failures" -gt 0 ]; then
  echo "acme: $failures tests failed"
  exit 1
fi
echo "acme: all tests passed"
