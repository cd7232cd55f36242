#!/usr/bin/env bash
# bench: `iptables-restore --test` load time of restore files, inside a throwaway network namespace
# (never the machine's own: every iptables command here runs through in_ns, which enters it).
# Usage: netns-load.sh RUNS TIMEOUT_S LABEL=MODE=FILE...   MODE: noflush (tierwall: declares its
# own chains only) or full (ferm, Capirca: whole tables, tested as they are).
# Prints one line per file: `LABEL ok MS MS ...` (one time per run) or `LABEL fail REASON`.
set -euo pipefail

runs=$1 timeout_s=$2
shift 2
NS="tw-bench-$$-load"
created=0
# Only a namespace this script created is removed (a failed add must not delete someone else's).
cleanup() { if ((created)); then ip netns del "$NS" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
created=1

in_ns() { nsenter --net="/run/netns/$NS" "$@"; }

now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

for spec in "$@"; do
  label=${spec%%=*}
  rest=${spec#*=}
  mode=${rest%%=*}
  file=${rest#*=}
  args=(--test -w)
  [[ $mode == noflush ]] && args+=(--noflush)
  times=()
  status=ok
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ms)
    if ! err=$(in_ns timeout "$timeout_s" iptables-restore "${args[@]}" <"$file" 2>&1 >/dev/null); then
      status="fail $(printf '%s' "${err:-timeout after ${timeout_s}s}" | head -n 2 | tr '\n' ' ' | cut -c1-200)"
      break
    fi
    t1=$(now_ms)
    times+=($((t1 - t0)))
  done
  if [[ $status == ok ]]; then
    echo "$label ok ${times[*]}"
  else
    echo "$label $status"
  fi
done
