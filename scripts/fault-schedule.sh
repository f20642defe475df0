#!/usr/bin/env bash
# Run the long fault schedule (Jepsen-style: real tickbus processes, seeded kills and pauses, a checker) for K seeds
# and print one JSON line per seed and a table: faults by kind, messages, lost, duplicated, reordered.
#
#   scripts/fault-schedule.sh [--seeds K] [--first-seed S] [--fault-seconds T] [--rate R]
#
# Needs the build (mvn -B -o package -DskipTests). Histories and logs: system-tests/target/fault-schedule/seed-S/.
# Exit 0 when every seed held the guarantee, 1 when a checker found a violation, 2 on a usage error.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/tools/target/tickbus.jar"
CLASSES="$ROOT/system-tests/target/classes"
if [[ ! -f "$JAR" || ! -d "$CLASSES" ]]; then
    echo "fault-schedule: build first: (cd $ROOT && mvn -B -o package -DskipTests)" >&2
    exit 2
fi
exec java -Xmx512m -XX:+UseSerialGC --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED -Dtickbus.root="$ROOT" -cp "$CLASSES:$JAR" io.tickbus.systemtests.FaultSchedule "$@"
