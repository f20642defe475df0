#!/usr/bin/env bash
# Impair (or heal) one host's link in a topology from scripts/netns-up.sh, in both directions.
#
#   scripts/netns-loss.sh [--prefix P] NAME loss PCT [delay MS]    # e.g. sub2 loss 5   /  sub2 loss 0 delay 2
#   scripts/netns-loss.sh [--prefix P] NAME clear
#   scripts/netns-loss.sh [--prefix P] NAME down|up                # cut / restore the host's cable
#   scripts/netns-loss.sh check                                    # prints netem | nft | none; exit 0 / 3
#
# Loss and delay use tc netem on the host's eth0 (egress) and on its bridge port (traffic towards the host).
# Where the kernel has no netem (sch_netem missing: "Specified qdisc kind is unknown"), random loss falls back to
# nftables (numgen random, UDP only, in the host namespace's input and output); delay then is not available and
# the script says so and exits 3. Needs iproute2 (tc) and for the fallback nftables:
#   apt-get install -y iproute2 nftables
# Exit codes: 0 done, 2 usage, 3 impairment not supported on this kernel, 1 other failure.
set -euo pipefail

PREFIX=tb
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || { echo "netns-loss: --prefix needs a value" >&2; exit 2; }; PREFIX="$2"; shift 2 ;;
        --help|-h) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
        *) echo "netns-loss: unknown option $1" >&2; exit 2 ;;
    esac
done

SW="${PREFIX}-sw"
NFT_TABLE=tickbus_loss

have_netem()
{
    # Probe in a throwaway namespace so no real interface is touched.
    local probe="${PREFIX}-probe$$"
    ip netns add "$probe" 2>/dev/null || return 1
    local ok=1
    if command -v tc >/dev/null 2>&1 && ip netns exec "$probe" tc qdisc add dev lo root netem delay 0ms 2>/dev/null; then
        ok=0
    fi
    ip netns del "$probe" 2>/dev/null || true
    return $ok
}

have_nft()
{
    command -v nft >/dev/null 2>&1
}

mechanism()
{
    if have_netem; then echo netem; elif have_nft; then echo nft; else echo none; fi
}

if [[ "${1:-}" == "check" ]]; then
    m=$(mechanism)
    echo "$m"
    [[ "$m" != none ]] || exit 3
    exit 0
fi

[[ $# -ge 2 ]] || { echo "netns-loss: usage: NAME loss PCT [delay MS] | NAME clear | NAME down|up | check" >&2; exit 2; }
NAME="$1"; ACTION="$2"; shift 2
NS="${PREFIX}-${NAME}"
PORT="p-${NAME}"
if ! ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NS"; then
    echo "netns-loss: no namespace $NS (run scripts/netns-up.sh first)" >&2
    exit 1
fi

clear_all()
{
    ip netns exec "$NS" tc qdisc del dev eth0 root 2>/dev/null || true
    ip netns exec "$SW" tc qdisc del dev "$PORT" root 2>/dev/null || true
    if have_nft; then
        ip netns exec "$NS" nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    fi
}

case "$ACTION" in
    clear)
        clear_all
        echo "netns-loss: $NS link clean"
        ;;
    down|up)
        ip -n "$SW" link set "$PORT" "$ACTION"
        echo "netns-loss: $NS link $ACTION"
        ;;
    loss)
        [[ $# -ge 1 && "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "netns-loss: loss needs a percentage" >&2; exit 2; }
        PCT="$1"; shift
        DELAY=""
        if [[ $# -ge 2 && "$1" == delay && "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
            DELAY="$2"; shift 2
        elif [[ $# -gt 0 ]]; then
            echo "netns-loss: unexpected '$*' (want: delay MS)" >&2; exit 2
        fi
        clear_all
        m=$(mechanism)
        case "$m" in
            netem)
                args=(netem loss "${PCT}%")
                [[ -n "$DELAY" ]] && args+=(delay "${DELAY}ms")
                ip netns exec "$NS" tc qdisc add dev eth0 root "${args[@]}"
                ip netns exec "$SW" tc qdisc add dev "$PORT" root "${args[@]}"
                echo "netns-loss: $NS ${args[*]} (tc netem, both directions)"
                ;;
            nft)
                if [[ -n "$DELAY" ]]; then
                    echo "netns-loss: this kernel has no netem (sch_netem): delay is not supported here" >&2
                    exit 3
                fi
                # numgen random mod 10000 < PCT*100: loss in steps of 0.01 %.
                thresh=$(awk -v p="$PCT" 'BEGIN { printf "%d", p * 100 }')
                ip netns exec "$NS" nft -f - <<EOF
table inet ${NFT_TABLE} {
    chain in { type filter hook input priority 0; policy accept; meta l4proto udp numgen random mod 10000 < ${thresh} counter drop; }
    chain out { type filter hook output priority 0; policy accept; meta l4proto udp numgen random mod 10000 < ${thresh} counter drop; }
}
EOF
                echo "netns-loss: $NS loss ${PCT}% of UDP both directions (nftables; no netem on this kernel)"
                ;;
            *)
                echo "netns-loss: no netem qdisc and no nft: cannot impair links here (apt-get install -y nftables)" >&2
                exit 3
                ;;
        esac
        ;;
    *)
        echo "netns-loss: unknown action '$ACTION'" >&2
        exit 2
        ;;
esac
