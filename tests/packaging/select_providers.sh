#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the per-component packages of a build with plugins: their names,
# contents and dependencies. Builds a plugin from whk-dev with the
# one-line pkg-config command. Then unpacks only whk and
# whk-provider-twilio into a scratch root, where whk must list and use
# Twilio alone until its providers.d file is removed.
# Usage: select_providers.sh OUT_DIR (of build_debs.sh)
set -uo pipefail
out=$1
packages="$out/build/packages"
source "$(dirname "$0")/common.sh"
root="$out/root"

# One package per plugin built, with its plugin and entries only.
plugins=$(find "$out/build" -path '*/whk/plugins/*.so' -printf '%f\n' |
          sed 's/\.so$//' | sort)
[ -n "$plugins" ] || fail "the build made no plugins"
for name in $plugins; do
  file=$(deb "whk-provider-$name") || {
    fail "no package whk-provider-$name"
    continue
  }
  # The plugin, its entry, and other entries naming the same module.
  unpack "$out/provider" "whk-provider-$name" || continue
  (cd "$out/provider" && find . -type f | sort) >"$out/contents"
  grep -qx "\./usr/lib/.*/whk/plugins/$name\.so" "$out/contents" ||
    fail "whk-provider-$name lacks $name.so: $(cat "$out/contents")"
  grep -qx "\./usr/share/whk/providers\.d/$name\.json" "$out/contents" ||
    fail "whk-provider-$name lacks providers.d/$name.json"
  while read -r path; do
    case $path in
    */whk/plugins/"$name".so) ;;
    */providers.d/*.json)
      grep -q "\"module\": *\"$name\"" "$out/provider/$path" ||
        fail "whk-provider-$name holds $path, an entry of another module" ;;
    *) fail "whk-provider-$name holds $path" ;;
    esac
  done <"$out/contents"
  dpkg-deb -f "$file" Depends | grep -q "whk (= " ||
    fail "whk-provider-$name does not depend on whk: $(dpkg-deb -f "$file" Depends)"
done

whk_deb=$(deb whk) || exit 1
dev_deb=$(deb whk-dev) || exit 1
for library in libltdl7 libjansson4 libssl3 libc6; do
  dpkg-deb -f "$whk_deb" Depends | grep -q "$library" ||
    fail "whk does not depend on $library: $(dpkg-deb -f "$whk_deb" Depends)"
done
whk_contents=$(dpkg-deb -c "$whk_deb")
grep -q -e 'whk/plugins/.' -e 'providers\.d/.' <<<"$whk_contents" &&
  fail "the whk package holds plugins or providers.d files"
for path in usr/bin/whk 'libwhk\.so\.0' usr/share/man/man1/whk.1; do
  grep -q "$path" <<<"$whk_contents" || fail "whk lacks $path"
done
dpkg-deb -f "$dev_deb" Depends | grep -q "whk (= " ||
  fail "whk-dev does not depend on whk"
dev_contents=$(dpkg-deb -c "$dev_deb")
for path in usr/include/whk/plugin.h 'libwhk\.so ->' \
            'pkgconfig/whk-plugin\.pc'; do
  grep -q "$path" <<<"$dev_contents" || fail "whk-dev lacks $path"
done

# whk-dev builds a plugin with the one-line command, -lwhk before the
# source, that the unpacked whk then accepts.
unpack "$root" whk whk-dev || exit 1
pc=$(find "$root" -name whk-plugin.pc)
grep -qx "prefix=/usr" "$pc" || fail "whk-plugin.pc has $(grep ^prefix "$pc")"
example="$(dirname "$0")/../../sdk/example"
(
  export PKG_CONFIG_LIBDIR=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$root"
  cd "$out" &&
    cc -shared $(pkg-config --cflags --libs whk-plugin) -o acme.so \
      "$example/acme.c" "$example/declarations.c"
) || fail "the one-line pkg-config build of a plugin failed"
readelf -d "$out/acme.so" | grep -q 'NEEDED.*libwhk\.so\.0' ||
  fail "acme.so built with -lwhk first does not need libwhk.so.0"
root_whk "$root" plugin check "$out/acme.so" \
  --entry "$example/providers.d/acme.json" >"$out/check.out" ||
  fail "whk plugin check of the pkg-config build: $(cat "$out/check.out")"

# Only whk and whk-provider-twilio: Twilio alone.
unpack "$root" whk whk-provider-twilio || exit 1
root_whk "$root" providers --json >"$out/providers.json" ||
  fail "whk providers failed in the scratch root"
names=$(provider_names "$out/providers.json")
[ "$names" = twilio ] || fail "whk lists '$names', expected twilio alone"
grep -q "\"plugin\": \"$root/usr/lib/.*twilio.so\"" "$out/providers.json" ||
  fail "twilio's plugin is not the unpacked one: $(cat "$out/providers.json")"
twilio_round_trip "$root"

# Removing the providers.d file removes the provider.
rm "$root/usr/share/whk/providers.d/twilio.json"
root_whk "$root" providers --json >"$out/providers.json"
names=$(provider_names "$out/providers.json")
[ -z "$names" ] || fail "whk still lists '$names' without providers.d files"
root_whk "$root" sign --provider twilio --url https://example.com/ \
  --sample inbound-sms >"$out/sign.out" 2>&1
status=$?
[ "$status" -eq 2 ] && grep -q "unknown provider 'twilio'" "$out/sign.out" ||
  fail "whk sign without twilio's entry exited $status: $(cat "$out/sign.out")"

finish "packages with plugins"
