#!/usr/bin/env bash
# A whole trading day, end to end, as a user runs it (issue 16): for each day size, each step its own process
# through scripts/tickbus:
#   1. generate an ITCH 5.0 day file (tickbus simulate --profile day --rate max);
#   2. ingest it flat out: tickbus feed --from DAY --speed max -> IPC stream 1001, recorded by tickbus archive on the
#      same driver (a file source waits for the archive: nothing may be lost);
#   3. replay the recorded day flat out into tickbus subscribe --summary (counts, gaps);
#   4. backtest it with books for every symbol (MidPriceStrategy), under /usr/bin/time for heap and RSS;
# and prints one Markdown row per size: time and rate of each step, bytes on disk per message, catalog + time index
# size, the backtest's max RSS. Exits 1 when a step loses a message.
#
# usage: scripts/day-scale.sh [--messages N[,N...]] [--symbols S] [--work DIR] [--keep]
#   defaults: --messages 10000000 --symbols 8000 --work a fresh /tmp/tickbus-day-scale.XXXXXX
# Disk: about 36 bytes per message for the day file plus about 100 for the recording (a 100 M day needs ~14 GB);
# everything it writes (work dir, /dev/shm driver) is removed at the end unless --keep. The archive's term and
# segment files live in the work dir. SKIP_BUILD=1 uses the built tools/target/tickbus.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=10000000; SYMBOLS=8000; WORK=""; KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --messages) SIZES="$2"; shift 2 ;;
        --symbols) SYMBOLS="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        *) echo "usage: $0 [--messages N[,N...]] [--symbols S] [--work DIR] [--keep]" >&2; exit 2 ;;
    esac
done
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then mvn -B -q package -DskipTests -pl tools -am; fi
T=scripts/tickbus
[[ -n "$WORK" ]] || WORK=$(mktemp -d /tmp/tickbus-day-scale.XXXXXX)
mkdir -p "$WORK"
SHM=/dev/shm/tickbus-day-scale-$$
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$SHM"
    [[ $KEEP == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
DATE=$(TZ=America/New_York date +%F)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s / 1e6 : 0) }'; }
json() { grep -o "\"$2\":[0-9]*" <<< "$1" | head -1 | cut -d: -f2 || true; }
status=0

echo "| messages | symbols | generate s (M msg/s) | ingest s (M msg/s) | replay s (M msg/s) | backtest s (M msg/s) | recorded B/msg | catalog+index B | backtest max RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
for N in ${SIZES//,/ }; do
    RUN="$WORK/$N"; mkdir -p "$RUN"
    DAY="$RUN/day.itch"

    t0=$(now)
    $T simulate --venue itch5 --profile day --symbols "$SYMBOLS" --count "$N" --rate max --to "$DAY" > "$RUN/simulate.out"
    t1=$(now)
    generated=$(json "$(cat "$RUN/simulate.out")" messages)

    $T driver --dir "$SHM" > "$RUN/driver.log" 2>&1 & PIDS+=($!)
    for _ in $(seq 1 100); do [[ -f "$SHM/cnc.dat" ]] && break; sleep 0.1; done
    $T archive --dir "$RUN/archive" --driver-dir "$SHM" --record aeron:ipc:1001 \
        --control-channel "aeron:udp?endpoint=127.0.0.1:24810" > "$RUN/archive.log" 2>&1 & PIDS+=($!)
    for _ in $(seq 1 300); do grep -q "recording" "$RUN/archive.log" 2>/dev/null && break; sleep 0.1; done
    sleep 1

    t2=$(now)
    $T feed --venue itch5 --from "$DAY" --date "$DATE" --speed max --channel aeron:ipc --stream 1001 \
        --driver-dir "$SHM" --await-subscriber 10s --summary > "$RUN/feed.out" 2> "$RUN/feed.err" \
        || { echo "feed failed: $(cat "$RUN/feed.err")" >&2; status=1; }
    t3=$(now)
    published=$(json "$(tail -1 "$RUN/feed.out")" published)
    recorded=0
    for _ in $(seq 1 600); do
        recorded=$($T recordings --dir "$RUN/archive" --json 2>/dev/null | grep -o '"messages":[0-9]*' | head -1 | cut -d: -f2 || true)
        [[ "${recorded:-0}" -ge "${published:-1}" ]] && break
        sleep 0.5
    done
    [[ "${recorded:-0}" == "$published" ]] || { echo "recorded $recorded of $published published" >&2; status=1; }

    $T subscribe --channel aeron:ipc --stream 9001 --driver-dir "$SHM" --summary --count "$published" \
        --duration 30m > "$RUN/subscribe.out" 2> "$RUN/subscribe.err" & SUB=$!
    sleep 1
    t4=$(now)
    $T replay --dir "$RUN/archive" --day "$DATE" --stream 1001 --speed max --channel aeron:ipc --to-stream 9001 \
        --no-progress > "$RUN/replay.out" 2> "$RUN/replay.err" || { echo "replay failed" >&2; status=1; }
    wait $SUB || true
    t5=$(now)
    received=$(json "$(tail -1 "$RUN/subscribe.out")" messages)
    [[ "${received:-0}" -ge "$published" ]] || { echo "replay delivered $received of $published" >&2; status=1; }

    t6=$(now)
    /usr/bin/time -v -o "$RUN/backtest.time" $T backtest --dir "$RUN/archive" --day "$DATE" --stream 1001 \
        --strategy io.tickbus.client.strategy.examples.MidPriceStrategy > "$RUN/backtest.out" 2> "$RUN/backtest.err" \
        || { echo "backtest failed: $(tail -3 "$RUN/backtest.err")" >&2; status=1; }
    t7=$(now)
    rss=$(awk -F: '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$RUN/backtest.time")

    bytes=$(du -s -B1 "$RUN/archive" | cut -f1) # blocks in use: segment files are preallocated
    # Tickbus's own catalog and time index (Aeron's archive.catalog is a fixed 1 MiB file, counted in the bytes).
    index=$(find "$RUN/archive/tickbus-catalog.tsv" "$RUN/archive/tickbus-index" -type f -printf '%s\n' \
        2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    echo "| $published | $SYMBOLS | $(secs "$t0" "$t1") ($(rate "$generated" "$(secs "$t0" "$t1")")) |" \
        "$(secs "$t2" "$t3") ($(rate "$published" "$(secs "$t2" "$t3")")) |" \
        "$(secs "$t4" "$t5") ($(rate "$published" "$(secs "$t4" "$t5")")) |" \
        "$(secs "$t6" "$t7") ($(rate "$published" "$(secs "$t6" "$t7")")) |" \
        "$(awk -v b="$bytes" -v n="$published" 'BEGIN { printf "%.1f", b / n }') | $index | $rss |"

    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
    rm -rf "$SHM"
    [[ $KEEP == 1 ]] || rm -rf "$RUN"
done
exit $status
