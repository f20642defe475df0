#!/usr/bin/env bash
# Cross-namespace figures: latency (publish -> subscriber, from the stamps in the messages, `tickbus latency`) and
# throughput (a publisher flat out, paced only by flow control) over UDP multicast and MDC, to 1 and 2 subscriber
# hosts, on a topology of network namespaces (prefix tbb, 10.77.0.0/24, UDP ports 49100-49199). One standalone
# `tickbus driver` (small profile) per host. Runs as root; removes everything it built when it ends.
#
#   scripts/netns-bench.sh [LATENCY_COUNT] [THROUGHPUT_COUNT]       (defaults 50000 at 10k/s, 1000000)
#
# Needs the shaded jar and the tools test classes (the publisher is the tests' MultiHostPublisher):
#   mvn -B -o -q -pl tools install -DskipTests
# All hosts share one machine and one clock, so one-way latency needs no clock sync here (across real hosts it
# does: docs/deployment.md). Loopback veths are not NICs: the figures show the software path only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${TICKBUS_TARGET:-target}"
JAR="$ROOT/tools/$TARGET/tickbus.jar"
CLASSES="$ROOT/tools/$TARGET/test-classes"
LAT_COUNT="${1:-50000}"
TPUT_COUNT="${2:-1000000}"
[[ -f "$JAR" && -d "$CLASSES/io/tickbus/tools/multihost" ]] || {
    echo "netns-bench: build first: mvn -B -o -q -pl tools install -DskipTests (missing $JAR or test classes)" >&2
    exit 1
}
JAVA=(java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.nio=ALL-UNNAMED -Xmx256m -XX:+UseSerialGC -cp "$JAR:$CLASSES")
P=tbb
OUT="$(mktemp -d /tmp/tickbus-netns-bench.XXXXXX)"
PIDS=()

cleanup()
{
    for pid in "${PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    sleep 1
    for pid in "${PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    done
    "$ROOT/scripts/netns-down.sh" --prefix "$P" >/dev/null || true
    rm -rf /dev/shm/tbb-pub /dev/shm/tbb-sub1 /dev/shm/tbb-sub2
    echo "netns-bench: logs in $OUT"
}
trap cleanup EXIT

"$ROOT/scripts/netns-up.sh" --prefix "$P" pub:10 sub1:21 sub2:22 >/dev/null
for h in pub sub1 sub2; do
    ip netns exec "$P-$h" "${JAVA[@]}" io.tickbus.tools.TickbusCli driver --dir "/dev/shm/tbb-$h" \
        >"$OUT/driver-$h.log" 2>&1 &
    PIDS+=($!)
done
for h in pub sub1 sub2; do
    for _ in $(seq 1 100); do grep -q running "$OUT/driver-$h.log" 2>/dev/null && break; sleep 0.2; done
done

declare -A ADDR=([pub]=10.77.0.10 [sub1]=10.77.0.21 [sub2]=10.77.0.22)
stream=9200

# run MODE NSUBS KIND: KIND latency | throughput
run()
{
    local mode="$1" nsubs="$2" kind="$3" pubch count rate subpids=() subs=(sub1)
    stream=$((stream + 1))
    [[ "$nsubs" == 2 ]] && subs=(sub1 sub2)
    if [[ "$mode" == multicast ]]; then
        pubch="aeron:udp?endpoint=239.255.77.101:49101|interface=10.77.0.10|ttl=1|fc=tagged,g:77/$nsubs"
    else
        pubch="aeron:udp?control=10.77.0.10:49110|control-mode=dynamic|fc=tagged,g:77/$nsubs"
    fi
    if [[ "$kind" == latency ]]; then count="$LAT_COUNT"; rate=10000; else count="$TPUT_COUNT"; rate=0; fi
    for h in "${subs[@]}"; do
        local subch
        if [[ "$mode" == multicast ]]; then
            subch="aeron:udp?endpoint=239.255.77.101:49101|interface=${ADDR[$h]}|gtag=77"
        else
            subch="aeron:udp?endpoint=${ADDR[$h]}:49111|control=10.77.0.10:49110|control-mode=dynamic|gtag=77"
        fi
        if [[ "$kind" == latency ]]; then
            ip netns exec "$P-$h" "${JAVA[@]}" io.tickbus.tools.TickbusCli latency --channel "$subch" \
                --stream "$stream" --count "$count" --warmup 5000 --json --driver-dir "/dev/shm/tbb-$h" \
                >"$OUT/$mode-$nsubs-$kind-$h.log" 2>&1 &
        else
            ip netns exec "$P-$h" "${JAVA[@]}" io.tickbus.tools.TickbusCli subscribe --channel "$subch" \
                --stream "$stream" --count "$count" --duration 120s --summary --driver-dir "/dev/shm/tbb-$h" \
                >"$OUT/$mode-$nsubs-$kind-$h.log" 2>&1 &
        fi
        subpids+=($!)
    done
    # The publisher waits for the whole tagged group (g:77/N) before it starts.
    ip netns exec "$P-pub" "${JAVA[@]}" io.tickbus.tools.multihost.MultiHostPublisher --driver-dir /dev/shm/tbb-pub \
        --channel "$pubch" --stream "$stream" --count "$count" --rate "$rate" --linger 3s \
        >"$OUT/$mode-$nsubs-$kind-pub.log" 2>&1
    for pid in "${subpids[@]}"; do wait "$pid" || echo "netns-bench: a subscriber failed ($mode $nsubs $kind)" >&2; done
    local pubjson
    pubjson=$(grep '^{' "$OUT/$mode-$nsubs-$kind-pub.log" | tail -1)
    if [[ "$kind" == throughput ]]; then
        local ns
        ns=$(sed -E 's/.*"elapsedNs":([0-9]+).*/\1/' <<<"$pubjson")
        printf '%-9s subs=%s throughput: %s msgs in %.0f ms = %.0f msgs/s   ' "$mode" "$nsubs" "$count" \
            "$(awk -v n="$ns" 'BEGIN{print n/1e6}')" "$(awk -v n="$ns" -v c="$count" 'BEGIN{print c/(n/1e9)}')"
        for h in "${subs[@]}"; do printf '%s=%s ' "$h" "$(grep '^{' "$OUT/$mode-$nsubs-$kind-$h.log" | tail -1)"; done
        echo
    else
        for h in "${subs[@]}"; do
            printf '%-9s subs=%s latency %s: %s\n' "$mode" "$nsubs" "$h" "$(grep '^{' "$OUT/$mode-$nsubs-$kind-$h.log" | tail -1)"
        done
    fi
}

for mode in multicast mdc; do
    for nsubs in 1 2; do
        run "$mode" "$nsubs" latency
        run "$mode" "$nsubs" throughput
    done
done
