#!/usr/bin/env bash
# Build a multi-host Tickbus topology out of Linux network namespaces: one namespace per "host", each with its
# own network stack, all on one Ethernet bridge that lives in a switch namespace of its own, so nothing in the
# caller's network namespace is touched. Addresses are SUBNET.0/24 only (10.77.0.0/24 unless --subnet), private
# to these namespaces.
#
#   scripts/netns-up.sh [--prefix P] [--subnet A.B.C] [--bridge BR] [NAME:LAST_OCTET ...]
#   (defaults: prefix tb, subnet 10.77.0, bridge tbbr0; give each concurrent topology its own of all three)
#
#   default topology (no host arguments):
#     P-pub 10.77.0.10    feed handler / publisher
#     P-s1  10.77.0.11    sequencer member 0      P-sub1 10.77.0.21    strategy host
#     P-s2  10.77.0.12    sequencer member 1      P-sub2 10.77.0.22    strategy host
#     P-s3  10.77.0.13    sequencer member 2      P-arc  10.77.0.30    archive host
#
#   e.g.  sudo scripts/netns-up.sh pub:10 sub1:21 sub2:22
#         sudo ip netns exec tb-sub1 scripts/tickbus driver --dir /dev/shm/tb-sub1
#
# Each host namespace gets: lo up, eth0 = 10.77.0.N/24 (a veth whose peer P-sw:p-NAME is a bridge port), and a
# multicast route 224.0.0.0/4 via eth0. The bridge (P-sw:tbbr0) floods multicast (IGMP snooping off: there is no
# multicast router / querier on this "LAN"). Idempotent: an existing host is rebuilt. On any failure the
# namespaces this run created are removed again. Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and iproute2
# (install: apt-get install -y iproute2). Tear down with scripts/netns-down.sh.
set -euo pipefail

PREFIX=tb
SUBNET=10.77.0
BRIDGE=tbbr0
MTU=${TICKBUS_NETNS_MTU:-1500}

usage()
{
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || usage; PREFIX="$2"; shift 2 ;;
        --subnet) [[ $# -ge 2 && "$2" =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || usage; SUBNET="$2"; shift 2 ;;
        --bridge) [[ $# -ge 2 && "$2" =~ ^[a-z0-9]{1,15}$ ]] || usage; BRIDGE="$2"; shift 2 ;;
        --help|-h) usage ;;
        *) echo "netns-up: unknown option $1" >&2; usage ;;
    esac
done

HOSTS=("$@")
if [[ ${#HOSTS[@]} -eq 0 ]]; then
    HOSTS=(pub:10 s1:11 s2:12 s3:13 sub1:21 sub2:22 arc:30)
fi

if ! command -v ip >/dev/null 2>&1; then
    echo "netns-up: 'ip' not found: install iproute2 (apt-get install -y iproute2)" >&2
    exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "netns-up: must run as root (network namespaces need CAP_NET_ADMIN and CAP_SYS_ADMIN)" >&2
    exit 1
fi

SW="${PREFIX}-sw"
CREATED=()

cleanup_on_error()
{
    local rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "netns-up: failed (exit $rc), removing what this run created: ${CREATED[*]:-nothing}" >&2
        for ns in "${CREATED[@]:-}"; do
            [[ -n "$ns" ]] && ip netns del "$ns" 2>/dev/null || true
        done
    fi
}
trap cleanup_on_error EXIT

ns_exists()
{
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"
}

# The switch: a namespace holding only the bridge.
if ! ns_exists "$SW"; then
    ip netns add "$SW"
    CREATED+=("$SW")
fi
ip -n "$SW" link set lo up
if ! ip -n "$SW" link show "$BRIDGE" >/dev/null 2>&1; then
    ip -n "$SW" link add "$BRIDGE" type bridge mcast_snooping 0
fi
ip -n "$SW" link set "$BRIDGE" mtu "$MTU" up

for spec in "${HOSTS[@]}"; do
    name="${spec%%:*}"
    octet="${spec##*:}"
    if [[ -z "$name" || "$name" == "$spec" || ! "$octet" =~ ^[0-9]+$ || "$octet" -lt 1 || "$octet" -gt 254 ]]; then
        echo "netns-up: bad host '$spec' (want NAME:LAST_OCTET, octet 1..254)" >&2
        exit 2
    fi
    if [[ ! "$name" =~ ^[a-z0-9]{1,10}$ ]]; then
        echo "netns-up: bad host name '$name' (1..10 of a-z0-9)" >&2
        exit 2
    fi
    ns="${PREFIX}-${name}"
    port="p-${name}"
    # Idempotent: rebuild the host from scratch (its veth pair goes with the namespace).
    if ns_exists "$ns"; then
        ip netns del "$ns"
    fi
    ip -n "$SW" link del "$port" 2>/dev/null || true
    ip netns add "$ns"
    CREATED+=("$ns")
    ip -n "$ns" link set lo up
    ip -n "$SW" link add "$port" type veth peer name eth0 netns "$ns"
    ip -n "$SW" link set "$port" mtu "$MTU" master "$BRIDGE" up
    ip -n "$ns" link set eth0 mtu "$MTU" up
    ip -n "$ns" addr add "${SUBNET}.${octet}/24" dev eth0
    ip -n "$ns" route add 224.0.0.0/4 dev eth0
    echo "netns-up: ${ns} eth0 ${SUBNET}.${octet}/24 (bridge ${SW}:${BRIDGE} port ${port})"
done
trap - EXIT
