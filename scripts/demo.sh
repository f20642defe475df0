#!/usr/bin/env bash
# Build everything (tests skipped) and run the embedded demo: the README's "run the main job" command.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$ROOT" && mvn -B -q package -DskipTests)
exec "$ROOT/scripts/tickbus" demo "$@"
