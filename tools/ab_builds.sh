#!/bin/bash
# Two (or more) builds of raleur compared on the same run, interleaved, medians and minima in
# milliseconds: on a shared machine whose speed drifts, the only fair comparison of a change.
#   cp target/release/raleur /tmp/raleur-before   # then change, rebuild, and:
#   tools/ab_builds.sh 10000 11 /tmp/raleur-before target/release/raleur
set -euo pipefail
n=$1; reps=$2; shift 2
cd "$(dirname "$0")/.."
for _ in $(seq "$reps"); do
  for bin in "$@"; do
    start=$(date +%s%N)
    "$bin" run scenarios/price_war.ron --policy expert --customers "$n" --json >/dev/null
    end=$(date +%s%N)
    echo "$bin $(( (end - start) / 1000 ))"
  done
done | python3 -c "
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in sys.stdin:
    name, us = line.split()
    runs[name].append(int(us))
for name, us in runs.items():
    print(f'{name}: median {statistics.median(us) / 1000:.1f} ms, min {min(us) / 1000:.1f} ms ({len(us)} runs)')
"
