#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks what the built shared objects export: libwhk only whk_ names, and
# every provider plugin only its MODULE_LTX_whk_descriptor symbol.
set -u
lib_dir=$1
plugin_dir=$2
failures=0

# AddressSanitizer adds __odr_asan.NAME for each exported global.
exports() {
  nm -D --defined-only "$1" | awk '{ print $3 }' | grep -v '^__odr_asan\.'
}

extra=$(exports "$lib_dir/libwhk.so" | grep -v '^whk_' || true)
if [ -n "$extra" ]; then
  echo "FAIL: libwhk.so exports names outside the SDK's whk_ prefix:"
  echo "$extra"
  failures=$((failures + 1))
fi
if ! exports "$lib_dir/libwhk.so" | grep -qx whk_provider_verify; then
  echo "FAIL: libwhk.so does not export whk_provider_verify"
  failures=$((failures + 1))
fi

count=0
for plugin in "$plugin_dir"/*.so; do
  module=$(basename "$plugin" .so)
  got=$(exports "$plugin")
  if [ "$got" != "${module}_LTX_whk_descriptor" ]; then
    echo "FAIL: $plugin exports '$got', expected only" \
         "${module}_LTX_whk_descriptor"
    failures=$((failures + 1))
  fi
  count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
  echo "FAIL: no plugins found in $plugin_dir"
  failures=$((failures + 1))
fi

echo "$((count + 2 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
