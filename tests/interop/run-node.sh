#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs DIR/run.js with Node.js after checking that Node.js and DIR's npm
# packages are installed. Usage: run-node.sh DIR
set -euo pipefail
dir=${1:?usage: run-node.sh DIR}

if ! command -v node >/dev/null; then
  echo "interop: node is not installed: run scripts/install-deps" >&2
  exit 1
fi
if [ ! -d "$dir/node_modules" ]; then
  echo "interop: $dir/node_modules is missing: run scripts/install-deps" >&2
  exit 1
fi
exec node "$dir/run.js"
