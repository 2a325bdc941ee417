#!/usr/bin/env bash
# The Kubernetes manifests in deploy/k8s against the official schemas, with kubernetes-validate
# from PyPI (schemas bundled; nothing else is fetched), installed under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools-py
if [ ! -f "$tools/bin/kubernetes-validate" ]; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    # Debian's python3 comes without pip.
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip
  fi
  # --target: a folder of its own, outside any system or externally managed environment.
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$tools" "kubernetes-validate==1.37.0"
fi
PYTHONPATH="$tools" python3 "$tools/bin/kubernetes-validate" --strict --kubernetes-version 1.31.0 deploy/k8s/*.yaml
