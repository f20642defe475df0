#!/usr/bin/env bash
# The lossless sequenced stream, tried as a user would, each component its own process (issue 14's "done" run):
# three `tickbus sequencer` members publishing on a multicast channel on loopback, `tickbus archive` recording it
# on its own driver, `tickbus simulate` -> `tickbus feed --sequenced`, two `tickbus subscribe --summary
# --embedded-driver --archive ...`. Subscriber B is paused (SIGSTOP, then SIGCONT); with --kill-leader the leader
# is SIGKILLed afterwards; with --late a third subscriber starts after that. Prints each subscriber's summary and
# exits 1 unless every subscriber ends with every sequenced message and 0 gaps.
#
# usage: scripts/sequenced-pause-check.sh [--pause S] [--kill-leader] [--late] [--count N] [--rate R]
# Needs multicast on loopback: ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo (root).
set -euo pipefail
cd "$(dirname "$0")/.."
PAUSE=6; KILL=0; LATE=0; COUNT=150000; RATE=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pause) PAUSE="$2"; shift 2 ;;
        --kill-leader) KILL=1; shift ;;
        --late) LATE=1; shift ;;
        --count) COUNT="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        *) echo "usage: $0 [--pause S] [--kill-leader] [--late] [--count N] [--rate R]" >&2; exit 2 ;;
    esac
done
if ! ip route show table all 2>/dev/null | grep -q '^224.0.0.0/4 dev lo\|multicast 224.0.0.0/4 dev lo'; then
    echo "needs a multicast route on loopback: ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo" >&2
    exit 2
fi
T=scripts/tickbus
OUT=$(mktemp -d /tmp/tickbus-pause-check.XXXXXX)
SHM=/dev/shm/tickbus-pause-check-$$
MEM=127.0.0.1:24700,127.0.0.1:24710,127.0.0.1:24720
SEQ='aeron:udp?endpoint=224.0.1.3:24790|interface=127.0.0.1'
ARCHIVE=127.0.0.1:24780
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
            sleep 2; rm -rf "$SHM"-* ; }
trap cleanup EXIT
declare -A MEMBER
for i in 0 1 2; do
    $T sequencer --member-id $i --members $MEM --dir "$SHM-seq$i" --fresh --allow-any-feed \
        --sequenced-channel "$SEQ" --sequenced-stream 2000 > "$OUT/seq$i.log" 2>&1 &
    MEMBER[$i]=$!; PIDS+=($!)
done
$T archive --record "$SEQ:2000" --control-channel "aeron:udp?endpoint=$ARCHIVE" --dir "$SHM-archive" \
    > "$OUT/archive.log" 2>&1 & PIDS+=($!)
sleep 8
subscribe() { $T subscribe --channel "$SEQ" --stream 2000 --summary --embedded-driver --archive $ARCHIVE \
    --duration "$1" > "$OUT/$2.out" 2> "$OUT/$2.err" & }
subscribe 90s A; A=$!; PIDS+=($A)
subscribe 90s B; B=$!; PIDS+=($B)
$T feed --venue itch5 --from udp://127.0.0.1:24770 --sequenced --members $MEM --channel aeron:ipc --stream 1001 \
    --embedded-driver --summary --feed-id 1 --duration 60s > "$OUT/feed.out" 2> "$OUT/feed.err" & PIDS+=($!)
sleep 3
$T simulate --venue itch5 --rate "$RATE" --count "$COUNT" --to udp://127.0.0.1:24770 > "$OUT/simulate.out" 2>&1 &
PIDS+=($!)
sleep 4
echo "pausing subscriber B for ${PAUSE}s"; kill -STOP $B; sleep "$PAUSE"; kill -CONT $B
if [[ $KILL == 1 ]]; then
    for i in 0 1 2; do grep -q "role=LEADER" "$OUT/seq$i.log" && L=$i; done
    echo "SIGKILL of the leader, member $L"; kill -9 "${MEMBER[$L]}"
fi
if [[ $LATE == 1 ]]; then sleep 5; echo "late subscriber C starts"; subscribe 75s C; PIDS+=($!); fi
wait $A $B
[[ $LATE == 1 ]] && wait "${PIDS[-1]}" || true
N=$(grep -ho 'globalSeq=[0-9]*' "$OUT"/seq*.log | cut -d= -f2 | sort -n | tail -1 || true)
status=0
for s in A B C; do
    [[ -f "$OUT/$s.out" ]] || continue
    line=$(tail -1 "$OUT/$s.out"); echo "$s: $line"
    last=$(grep -o '"lastGlobalSeq":[0-9]*' <<< "$line" | cut -d: -f2)
    gaps=$(grep -o '"gaps":[0-9]*' <<< "$line" | cut -d: -f2)
    msgs=$(grep -o '"messages":[0-9]*' <<< "$line" | cut -d: -f2)
    [[ "$gaps" == 0 && "$msgs" == "$last" ]] || { echo "$s: VIOLATION gaps=$gaps messages=$msgs last=$last"; status=1; }
    grep -v '^$' "$OUT/$s.err" | sed "s/^/$s stderr: /" || true
done
for p in "${MEMBER[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 3
N=$(grep -ho 'globalSeq=[0-9]*' "$OUT"/seq*.log | cut -d= -f2 | sort -n | tail -1 || true)
echo "members' last global sequence: ${N:-unknown}; feed: $(tail -1 "$OUT/feed.out" | cut -c1-80)"
for s in A B C; do
    [[ -f "$OUT/$s.out" ]] || continue
    last=$(tail -1 "$OUT/$s.out" | grep -o '"lastGlobalSeq":[0-9]*' | cut -d: -f2)
    [[ -n "$N" && "$last" == "$N" ]] || { echo "$s: VIOLATION ended at $last, the members at $N"; status=1; }
done
rm -rf "$OUT"
exit $status
