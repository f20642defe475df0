#!/usr/bin/env bash
# Peer comparison (issue 7): the same ping-pong + throughput workload over raw Aeron, Tickbus direct, JeroMQ
# (tcp, inproc), Chronicle Queue, NATS Core (nats-server), MQTT QoS 0 (mosquitto) and Kafka (a KRaft broker from
# Maven Central, skipped with a note when it does not start within KAFKA_START_SECONDS), printed as one table.
#
#   scripts/bench-peers.sh                                   # everything, defaults (about 15 minutes on 2 cores)
#   scripts/bench-peers.sh --samples 20000 --throughput-seconds 3 --systems raw-ipc,tickbus-ipc,nats
#   scripts/bench-peers.sh --markdown /tmp/peers.md          # also write the Markdown table to a file
#
# The brokers run on 127.0.0.1 only (ports NATS_PORT, MQTT_PORT), are started here, stopped by process id on exit,
# and the whole run is bounded by RUN_SECONDS. Debian packages are installed when missing (needs root or sudo).
# Environment: TICKBUS_TARGET (Maven build directory name, default target), SKIP_BUILD=1 (use the built jar),
# NATS_PORT (29100), MQTT_PORT (29200), KAFKA_PORT (29300, and the next one for its controller), UDP_PORT_BASE
# (28000, Aeron UDP, JeroMQ tcp and the sequencer clusters use the next ~300 ports; every default is below Linux's
# ephemeral range 32768-60999, so no socket the OS hands out can take one), RUN_SECONDS (1800), KAFKA=0 (skip Kafka),
# KAFKA_VERSION (4.1.2, keep equal to kafka-clients in perf/pom.xml), KAFKA_START_SECONDS (120).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${TICKBUS_TARGET:-target}"
NATS_PORT="${NATS_PORT:-29100}"
MQTT_PORT="${MQTT_PORT:-29200}"
KAFKA_PORT="${KAFKA_PORT:-29300}"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
KAFKA_START_SECONDS="${KAFKA_START_SECONDS:-120}"
UDP_PORT_BASE="${UDP_PORT_BASE:-28000}"
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
KAFKA_PID=""
cleanup() {
  for pid in $NATS_PID $MQTT_PID $KAFKA_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $NATS_PID $MQTT_PID $KAFKA_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

nats-server -a 127.0.0.1 -p "$NATS_PORT" -l "$WORK/nats.log" &
NATS_PID=$!
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
set_tcp_nodelay true
log_dest stderr
CONF
mosquitto -c "$WORK/mosquitto.conf" 2>"$WORK/mosquitto.log" &
MQTT_PID=$!

wait_port() { # port name seconds
  for _ in $(seq 1 $(( ${3:-10} * 10 ))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listening on 127.0.0.1:$1 after ${3:-10} s ($2)" >&2
  return 1
}
wait_port "$NATS_PORT" nats-server
wait_port "$MQTT_PORT" mosquitto
echo "nats-server $(nats-server --version | awk '{print $NF}') pid $NATS_PID on 127.0.0.1:$NATS_PORT," \
  "mosquitto $(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null || echo '?') pid $MQTT_PID on 127.0.0.1:$MQTT_PORT"

# Kafka: a single KRaft broker+controller on loopback, run from its own classpath resolved by Maven.
KAFKA_ARGS=()
# Only when asked for: a --systems list without kafka starts no broker (it loads a 2-core box for the whole run).
SYSTEMS=""
ARGS=("$@")
for i in "${!ARGS[@]}"; do
  case "${ARGS[$i]}" in
    --systems) SYSTEMS="${ARGS[$((i + 1))]:-}" ;;
    --systems=*) SYSTEMS="${ARGS[$i]#--systems=}" ;;
  esac
done
if [ -n "$SYSTEMS" ] && [[ ",$SYSTEMS," != *",kafka,"* ]]; then
  KAFKA=0
fi
if [ "${KAFKA:-1}" != "0" ]; then
  mkdir -p "$WORK/kafka"
  cat > "$WORK/kafka/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>io.tickbus.bench</groupId><artifactId>kafka-broker</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
    <version>$KAFKA_VERSION</version></dependency></dependencies>
</project>
POM
  cat > "$WORK/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$WORK/kafka/logs
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if (cd "$WORK/kafka" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt >mvn.log 2>&1); then
    KCP="$(cat "$WORK/kafka/cp.txt")"
    KJAVA=(java -Xms512m -Xmx512m -cp "$KCP")
    "${KJAVA[@]}" kafka.tools.StorageTool format -t "$("${KJAVA[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$WORK/kafka/server.properties" >"$WORK/kafka/format.log" 2>&1 || true
    "${KJAVA[@]}" kafka.Kafka "$WORK/kafka/server.properties" >"$WORK/kafka/broker.log" 2>&1 &
    KAFKA_PID=$!
    if wait_port "$KAFKA_PORT" "kafka $KAFKA_VERSION" "$KAFKA_START_SECONDS"; then
      echo "kafka $KAFKA_VERSION (KRaft) pid $KAFKA_PID on 127.0.0.1:$KAFKA_PORT"
      KAFKA_ARGS=(--kafka-bootstrap "127.0.0.1:$KAFKA_PORT")
    else
      echo "kafka skipped: the broker did not listen within $KAFKA_START_SECONDS s (see its log below)" >&2
      tail -5 "$WORK/kafka/broker.log" >&2 || true
      kill "$KAFKA_PID" 2>/dev/null || true
    fi
  else
    echo "kafka skipped: could not resolve kafka_2.13:$KAFKA_VERSION from Maven Central" >&2
  fi
fi

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
# Extra JVM options for the harness, e.g. BENCH_JVM_OPTS=-Dtickbus.sequencer.record.output=false (split a cost).
read -r -a EXTRA_JVM <<< "${BENCH_JVM_OPTS:-}"
JVM_FLAGS+=("${EXTRA_JVM[@]}")
timeout --kill-after=30 "$RUN_SECONDS" java "${JVM_FLAGS[@]}" -cp "$JAR" io.tickbus.perf.peers.PeerComparison \
  --nats-url "nats://127.0.0.1:$NATS_PORT" --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" \
  --chronicle-dir "$WORK" --udp-port-base "$UDP_PORT_BASE" "${KAFKA_ARGS[@]}" "$@"
