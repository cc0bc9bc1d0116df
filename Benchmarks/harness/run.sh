#!/bin/sh
# Furrow vs the MAVLink C parser on the same seeded flight stream. See README.md in this directory.
# Usage: Benchmarks/harness/run.sh [--build-furrow] [run.py options...]
set -eu
exec python3 "$(dirname "$0")/run.py" "$@"
