#!/usr/bin/env bash
# Peer comparison (issue 7): the same ping-pong + throughput workload over raw Aeron, Tickbus direct, JeroMQ
# (tcp, inproc), Chronicle Queue, NATS Core (nats-server) and MQTT QoS 0 (mosquitto), printed as one table.
#
#   scripts/bench-peers.sh                                   # everything, defaults (about 15 minutes on 2 cores)
#   scripts/bench-peers.sh --samples 20000 --throughput-seconds 3 --systems raw-ipc,tickbus-ipc,nats
#   scripts/bench-peers.sh --markdown /tmp/peers.md          # also write the Markdown table to a file
#
# The brokers run on 127.0.0.1 only (ports NATS_PORT, MQTT_PORT), are started here, stopped by process id on exit,
# and the whole run is bounded by RUN_SECONDS. Debian packages are installed when missing (needs root or sudo).
# Environment: TICKBUS_TARGET (Maven build directory name, default target), SKIP_BUILD=1 (use the built jar),
# NATS_PORT (39100), MQTT_PORT (39200), UDP_PORT_BASE (39000, Aeron UDP and JeroMQ tcp use the next ~30 ports),
# RUN_SECONDS (1800).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${TICKBUS_TARGET:-target}"
NATS_PORT="${NATS_PORT:-39100}"
MQTT_PORT="${MQTT_PORT:-39200}"
UDP_PORT_BASE="${UDP_PORT_BASE:-39000}"
RUN_SECONDS="${RUN_SECONDS:-1800}"
JAR="$ROOT/perf/$TARGET/benchmarks.jar"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v nats-server >/dev/null || ! command -v mosquitto >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q nats-server mosquitto >/dev/null \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q nats-server mosquitto >/dev/null; }
fi
PATH="$PATH:/usr/sbin"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  (cd "$ROOT" && mvn -B -q package -DskipTests -pl perf -am -Dtickbus.target="$TARGET")
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tickbus-peers.XXXXXX")"
NATS_PID=""
MQTT_PID=""
cleanup() {
  for pid in $NATS_PID $MQTT_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $NATS_PID $MQTT_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

nats-server -a 127.0.0.1 -p "$NATS_PORT" -l "$WORK/nats.log" &
NATS_PID=$!
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
CONF
mosquitto -c "$WORK/mosquitto.conf" 2>"$WORK/mosquitto.log" &
MQTT_PID=$!

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listening on 127.0.0.1:$1 after 10 s ($2)" >&2
  return 1
}
wait_port "$NATS_PORT" nats-server
wait_port "$MQTT_PORT" mosquitto
echo "nats-server $(nats-server --version | awk '{print $NF}') pid $NATS_PID on 127.0.0.1:$NATS_PORT," \
  "mosquitto $(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null || echo '?') pid $MQTT_PID on 127.0.0.1:$MQTT_PORT"

# Agrona needs jdk.internal.misc; Chronicle Queue on Java 17 needs the rest (Chronicle's documented list).
JVM_FLAGS=(
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
  -Xms1g -Xmx1g
)
timeout --kill-after=30 "$RUN_SECONDS" java "${JVM_FLAGS[@]}" -cp "$JAR" io.tickbus.perf.peers.PeerComparison \
  --nats-url "nats://127.0.0.1:$NATS_PORT" --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" \
  --chronicle-dir "$WORK" --udp-port-base "$UDP_PORT_BASE" "$@"
