#!/usr/bin/env bash
# The recap's cost on a generated day (issue 16): simulate an ITCH day, record it, replay it from mid-day and read
# the replay's JSON summary (recapMessagesRead, recapMessages, recapSeconds). Needs about 1 GB of disk for 2 M
# messages; everything is removed at the end.
#   scripts/recap-bench.sh [--messages N] [--symbols S] [--from HH:MM:SS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=2000000; SYMBOLS=2000; FROM=12:45:00
while [[ $# -gt 0 ]]; do
    case "$1" in
        --messages) N="$2"; shift 2 ;;
        --symbols) SYMBOLS="$2"; shift 2 ;;
        --from) FROM="$2"; shift 2 ;;
        *) echo "usage: $0 [--messages N] [--symbols S] [--from HH:MM:SS]" >&2; exit 2 ;;
    esac
done
T=scripts/tickbus
WORK=$(mktemp -d /tmp/tickbus-recap-bench.XXXXXX)
SHM=/dev/shm/tickbus-recap-bench-$$
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$SHM" "$WORK"
}
trap cleanup EXIT
DATE=2026-11-20
$T simulate --venue itch5 --profile day --symbols "$SYMBOLS" --count "$N" --rate max --to "$WORK/day.itch" > /dev/null
$T driver --dir "$SHM" > "$WORK/driver.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 100); do [[ -f "$SHM/cnc.dat" ]] && break; sleep 0.1; done
$T archive --dir "$WORK/archive" --driver-dir "$SHM" --record aeron:ipc:1001 \
    --control-channel "aeron:udp?endpoint=127.0.0.1:15690" > "$WORK/archive.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do grep -q "recording" "$WORK/archive.log" 2>/dev/null && break; sleep 0.1; done
sleep 1
$T feed --venue itch5 --from "$WORK/day.itch" --date "$DATE" --speed max --channel aeron:ipc --stream 1001 \
    --driver-dir "$SHM" --await-subscriber 10s --summary > "$WORK/feed.out"
published=$(grep -o '"published":[0-9]*' "$WORK/feed.out" | tail -1 | cut -d: -f2)
for _ in $(seq 1 600); do
    recorded=$($T recordings --dir "$WORK/archive" --json 2>/dev/null | grep -o '"messages":[0-9]*' | head -1 | cut -d: -f2 || true)
    [[ "${recorded:-0}" -ge "$published" ]] && break
    sleep 0.5
done
$T subscribe --channel aeron:ipc --stream 9001 --driver-dir "$SHM" --summary --duration 10m \
    --count 1000000000 > "$WORK/subscribe.out" 2>&1 & SUB=$!; PIDS+=($SUB)
sleep 1
$T replay --dir "$WORK/archive" --day "$DATE" --stream 1001 --from "$FROM" --speed max --channel aeron:ipc \
    --to-stream 9001 --no-progress 2>&1 | tail -1
$T recordings --dir "$WORK/archive" | tail -2 >&2
