#!/usr/bin/env bash
# Run the JMH micro-benchmarks with the GC profiler (allocation per operation), e.g.
#   scripts/bench.sh                    # all benchmarks
#   scripts/bench.sh CodecBenchmark     # one class
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$ROOT" && mvn -B -q package -DskipTests -pl perf -am)
exec java -jar "$ROOT/perf/target/benchmarks.jar" "${@:-.*}" -prof gc
