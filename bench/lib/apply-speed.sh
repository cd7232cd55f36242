#!/usr/bin/env bash
# bench: applying N rules, inside a throwaway network namespace with its own DOCKER-USER chain.
# (a) one `iptables-restore -w --noflush` transaction (what tierwall's installer does), RUNS times;
# (b) the idempotent per-rule loop hand-written scripts use:
#     iptables -w -C DOCKER-USER ARGS || iptables -w -I DOCKER-USER ARGS
#     once on an empty chain (every -C fails, every rule is inserted), then once more with every
#     rule present (a re-run: every -C succeeds).
# Every iptables command runs inside the namespace (in_ns), never in the machine's own.
# Usage: apply-speed.sh N RUNS WORKDIR. Prints `restore MS...`, `loop-first MS`, `loop-rerun MS`.
set -euo pipefail

n=$1 runs=$2 work=$3
NS="tw-bench-$$-apply"
created=0
# Only a namespace this script created is removed (a failed add must not delete someone else's).
cleanup() { if ((created)); then ip netns del "$NS" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
created=1

in_ns() { nsenter --net="/run/netns/$NS" "$@"; }
now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# N distinct rules shaped like a hand-written script's: source tier, destination tier, one port.
mkdir -p "$work"
rules="$work/apply-rules.txt"
restore="$work/apply-rules.v4"
: >"$rules"
for ((i = 0; i < n; i++)); do
  printf -- '-s 10.0.%d.0/24 -d 10.1.%d.0/24 -p tcp -m tcp --dport %d -j ACCEPT\n' $((i % 250)) $((i / 250)) $((1000 + i)) >>"$rules"
done
{
  echo '*filter'
  sed 's/^/-A DOCKER-USER /' "$rules"
  echo 'COMMIT'
} >"$restore"

in_ns iptables -w -N DOCKER-USER
count() { in_ns iptables -w -S DOCKER-USER | grep -c '^-A' || true; }

times=()
for ((r = 0; r < runs; r++)); do
  in_ns iptables -w -F DOCKER-USER
  t0=$(now_ms)
  in_ns iptables-restore -w --noflush <"$restore"
  t1=$(now_ms)
  times+=($((t1 - t0)))
  [[ $(count) -eq $n ]] || { echo "restore loaded $(count) rules, not $n" >&2; exit 1; }
done
echo "restore ${times[*]}"

in_ns iptables -w -F DOCKER-USER
# The loop runs as one process inside the namespace; each iptables call is its own process, as in
# the scripts it stands for.
# shellcheck disable=SC2016 # expanded by the inner bash, not here
loop='while read -r line; do read -ra a <<<"$line"; iptables -w -C DOCKER-USER "${a[@]}" 2>/dev/null || iptables -w -I DOCKER-USER "${a[@]}"; done <"$1"'
t0=$(now_ms)
in_ns bash -c "$loop" loop "$rules"
t1=$(now_ms)
[[ $(count) -eq $n ]] || { echo "loop left $(count) rules, not $n" >&2; exit 1; }
echo "loop-first $((t1 - t0))"
t0=$(now_ms)
in_ns bash -c "$loop" loop "$rules"
t1=$(now_ms)
[[ $(count) -eq $n ]] || { echo "re-run changed the rule count to $(count)" >&2; exit 1; }
echo "loop-rerun $((t1 - t0))"
