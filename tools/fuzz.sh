#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (cargo-fuzz, libFuzzer), each until SECONDS have passed or
# a million inputs were tried, whichever comes first, seeded from the project's own files.
# Prints one summary line per target; a crash leaves its input in fuzz/artifacts/TARGET/.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]      (default: 600 s, every target)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(tone desk scenario transcript curriculum passport records exercise)
fi
seed() {
    local target="$1"
    shift
    mkdir -p "fuzz/corpus/$target"
    for file in "$@"; do cp -n "$file" "fuzz/corpus/$target/" 2>/dev/null || true; done
}
seed scenario scenarios/*.ron tests/data/from_the_guide.ron
seed curriculum curricula/*.ron
if [ ! -s fuzz/corpus/transcript/tutorial.jsonl ]; then
    mkdir -p fuzz/corpus/transcript
    cargo run --quiet --no-default-features -- run scenarios/tutorial.ron --policy expert \
        --transcript fuzz/corpus/transcript/tutorial.jsonl > /dev/null
fi
mkdir -p fuzz/logs
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$budget" -runs=1000000 -timeout=10 -rss_limit_mb=4096 \
        -malloc_limit_mb=2048 -max_len=65536 -dict=fuzz/dict -print_final_stats=1 \
        > "fuzz/logs/$target.log" 2>&1 || { echo "$target: FAILED, see fuzz/logs/$target.log"; continue; }
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$target.log" | grep -o '[0-9]*$')
    seconds=$(grep -o 'Done [0-9]* runs in [0-9]* second' "fuzz/logs/$target.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    cov=$(grep -o 'cov: [0-9]*' "fuzz/logs/$target.log" | tail -1 | grep -o '[0-9]*')
    features=$(grep -o 'ft: [0-9]*' "fuzz/logs/$target.log" | tail -1 | grep -o '[0-9]*')
    echo "$target: ${runs:-?} executions in ${seconds:-?} s, coverage ${cov:-?} edges, ${features:-?} features, no crash"
done
