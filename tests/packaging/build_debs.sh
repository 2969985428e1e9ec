#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds whk for /usr in OUT/build with the given CMake options, then its
# Debian packages into OUT/build/packages. The build folder is kept, so a
# later run rebuilds only what changed.
# Usage: build_debs.sh SOURCE_DIR OUT_DIR [CMAKE_OPTION...]
set -euo pipefail
source=$1 out=$2
shift 2
for tool in dpkg-deb dpkg-shlibdeps cpack; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed; scripts/install-deps installs dpkg-dev"
    exit 1
  fi
done

# show LOG: prints the end of a failed step's log.
show() {
  echo "failed; the end of $1:"
  tail -40 "$1"
  exit 1
}

mkdir -p "$out"
cmake -S "$source" -B "$out/build" -DCMAKE_INSTALL_PREFIX=/usr \
  -DWHK_BUILD_TESTS=OFF "$@" >"$out/configure.log" 2>&1 ||
  show "$out/configure.log"
cmake --build "$out/build" -j 2 >"$out/build.log" 2>&1 || show "$out/build.log"
rm -rf "$out/build/packages"
(cd "$out/build" && cpack -G DEB) >"$out/cpack.log" 2>&1 ||
  show "$out/cpack.log"
for deb in "$out/build/packages"/*.deb; do
  printf '%8d bytes  %s\n' "$(stat -c %s "$deb")" "$(basename "$deb")"
done
