#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the example plugin as a third party would. Installs whk into a
# scratch prefix, copies sdk/example out of the source tree, builds it
# with pkg-config against that prefix only, runs its tests and installs
# it. Then uses it through the installed whk: providers, plugin check,
# sign and test (judged by an independent receiver in Node) and verify.
# Usage: example.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -uo pipefail
build=$1 source=$2 scratch=$3
prefix="$scratch/prefix"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

rm -rf "$scratch"
mkdir -p "$scratch"
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log" || {
  cat "$scratch/install.log"
  exit 1
}
cp -r "$source/sdk/example" "$scratch/acme"
pc_dir=$(dirname "$(find "$prefix" -name whk-plugin.pc)")
whk="$prefix/bin/whk"
export PKG_CONFIG_LIBDIR="$pc_dir" PKG_CONFIG_PATH=""
unset WHK_PLUGIN_PATH WHK_PROVIDERS_PATH

# The build must take everything from the prefix, nothing from the tree.
make -C "$scratch/acme" >"$scratch/make.log" 2>&1 || {
  cat "$scratch/make.log"
  exit 1
}
if grep -qF -e "$source/sdk" -e "$source/core" "$scratch/make.log"; then
  fail "the example's build refers to the source tree: $(cat "$scratch/make.log")"
fi
readelf -d "$scratch/acme/acme.so" | grep -q 'NEEDED.*libwhk\.so\.0' ||
  fail "acme.so does not record libwhk.so.0 as needed (--as-needed?)"

make -C "$scratch/acme" check WHK="$whk" || fail "make check of the example"
make -C "$scratch/acme" install >>"$scratch/make.log" 2>&1 ||
  fail "make install of the example: $(tail -5 "$scratch/make.log")"
plugindir=$(pkg-config --variable=plugindir whk-plugin)
[ -f "$plugindir/acme.so" ] || fail "acme.so is not in $plugindir"

"$whk" providers >"$scratch/providers.out" 2>&1
grep -q "^acme  *Acme Parcels" "$scratch/providers.out" ||
  fail "the installed whk does not list acme: $(cat "$scratch/providers.out")"
"$whk" plugin check acme >"$scratch/check.out" ||
  fail "whk plugin check acme: $(cat "$scratch/check.out")"

# whk sign, judged by the receiver's own HMAC check.
export ACME_WEBHOOK_SECRET="acme_test_3f9d2c7b1a6e4f08b5d9c2e7"
node "$scratch/acme/tests/receiver.mjs" >"$scratch/port" &
receiver=$!
trap 'kill $receiver 2>/dev/null' EXIT
for _ in $(seq 50); do
  [ -s "$scratch/port" ] && break
  sleep 0.1
done
port=$(head -1 "$scratch/port")
target="http://127.0.0.1:$port/webhooks/acme"
url=https://app.example.com/webhooks/acme
command=$("$whk" sign --provider acme --url "$url" --sample parcel-delivered \
  --curl "$target")
status=$(eval "$command -o /dev/null -w '%{http_code}'")
[ "$status" = 200 ] || fail "the receiver answered $status to whk sign --curl"
forged=${command/v1=/v1=0}
status=$(eval "$forged -o /dev/null -w '%{http_code}'")
[ "$status" = 401 ] || fail "the receiver answered $status to a forged request"

# whk verify on what whk sign produced, through the installed plugin.
headers=$("$whk" sign --provider acme --url "$url" --data '{"id":"evt_1"}' \
  -H "Content-Type: application/json")
args=()
while IFS= read -r line; do
  args+=(-H "$line")
done <<<"$headers"
"$whk" verify --provider acme --url "$url" -H "Content-Type: application/json" \
  "${args[@]}" --data '{"id":"evt_1"}' >/dev/null ||
  fail "whk verify rejects what whk sign signed"
"$whk" verify --provider acme --url "$url" -H "Content-Type: application/json" \
  "${args[@]}" --data '{"id":"evt_2"}' >/dev/null
[ $? -eq 1 ] || fail "whk verify accepts a changed body"

# whk test against the receiver, which must pass, and signed with another
# secret, which the receiver rejects, so whk test must fail.
"$whk" test --provider acme --target "$target" --public-url "$url" ||
  fail "whk test against the receiver"
export WRONG_ACME_SECRET="acme_test_0000000000000000000000000"
"$whk" test --provider acme --target "$target" --public-url "$url" \
  --secret-env WRONG_ACME_SECRET >"$scratch/test.out" 2>&1
status=$?
[ "$status" -eq 1 ] ||
  fail "whk test with a wrong secret exited $status: $(cat "$scratch/test.out")"

if [ "$failures" -gt 0 ]; then
  echo "example: $failures failures"
  exit 1
fi
echo "example: built, tested and used through an installed whk"
