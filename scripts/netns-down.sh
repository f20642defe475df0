#!/usr/bin/env bash
# Remove a topology built by scripts/netns-up.sh: the host namespaces named, or with no names every namespace
# P-* of the prefix (the switch namespace P-sw included). A host's veth pair and any loss rules go with its
# namespace. Safe to run when nothing is up.
#
#   scripts/netns-down.sh [--prefix P] [NAME ...]
#
#   e.g.  sudo scripts/netns-down.sh            # everything tb-*
#         sudo scripts/netns-down.sh sub2       # only tb-sub2
set -euo pipefail

PREFIX=tb
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || { echo "netns-down: --prefix needs a value" >&2; exit 2; }; PREFIX="$2"; shift 2 ;;
        --help|-h) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
        *) echo "netns-down: unknown option $1" >&2; exit 2 ;;
    esac
done

if ! command -v ip >/dev/null 2>&1; then
    echo "netns-down: 'ip' not found: install iproute2 (apt-get install -y iproute2)" >&2
    exit 1
fi

TARGETS=()
if [[ $# -gt 0 ]]; then
    for name in "$@"; do
        TARGETS+=("${PREFIX}-${name}")
    done
else
    while read -r ns _; do
        [[ "$ns" == "${PREFIX}-"* ]] && TARGETS+=("$ns")
    done < <(ip netns list 2>/dev/null)
fi

rc=0
for ns in "${TARGETS[@]:-}"; do
    [[ -z "$ns" ]] && continue
    if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$ns"; then
        # Processes still running in the namespace keep its stack alive: say so rather than leave it silently.
        pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ' || true)
        if [[ -n "${pids// /}" ]]; then
            echo "netns-down: warning: processes still in $ns: $pids" >&2
        fi
        if ip netns del "$ns"; then
            echo "netns-down: removed $ns"
        else
            rc=1
        fi
    fi
done
exit $rc
