#!/bin/bash
# 2 M-message day: simulate to an ITCH file, feed it into a running archive, export as Parquet and CSV.
mkdir -p "${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}" && cd "${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}"
set -u
T="$(cd "$(dirname "$0")" && pwd)/tickbus"
rm -rf ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/pq ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/csv ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/day.itch
$T simulate --venue itch5 --count 2000000 --rate max --seed 7 --to ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/day.itch > sim.log 2>&1
$T archive --dir ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch --control-channel 'aeron:udp?endpoint=127.0.0.1:15490' --record aeron:ipc:15491 > arch.log 2>&1 &
APID=$!
for i in $(seq 1 100); do [ -f ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch/tickbus-archive.properties ] && break; sleep 0.2; done
AD=$(grep '^aeron.dir=' ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch/tickbus-archive.properties | cut -d= -f2)
$T feed --venue itch5 --from ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/day.itch --channel aeron:ipc --stream 15491 --driver-dir "$AD" --await-subscriber 10s --summary > feed.log 2>&1
sleep 3
$T recordings --dir ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch > rec.txt 2>&1
$T recordings --dir ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch --json > rec.json 2>&1
DAY=$(grep -o '"day":"[0-9-]*"' rec.json | head -1 | cut -d'"' -f4)
/usr/bin/time -v $T export --dir ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch --day $DAY --stream 15491 --format parquet --out ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/pq > pq.out 2> pq.err
/usr/bin/time -v $T export --dir ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/arch --day $DAY --stream 15491 --format csv --out ${EXPORT_BENCH_DIR:-/tmp/tickbus-export-bench}/csv > csv.out 2> csv.err
kill -INT $APID; wait $APID
echo done
