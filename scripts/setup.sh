#!/usr/bin/env bash
# Installs what building and testing Furrow needs on a fresh Debian 12 machine with Swift 6.3 on PATH:
# system libraries (apt) and the Python reference decoders used by the cross-check tests (in .venv/).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in libsqlite3-dev zlib1g-dev python3 python3-venv make socat; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${need_apt[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: Swift 6.3 is not on PATH (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import pymavlink, pytest, fastcrc, pyulog" >/dev/null 2>&1; then
  echo "setup: installing the Python reference decoders into .venv/"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r Tests/CrossCheck/requirements.txt
fi
