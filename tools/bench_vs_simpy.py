#!/usr/bin/env python3
"""raleur against the SimPy model of the price war, whole process, interleaved.

For each size, runs `raleur run scenarios/price_war.ron --policy expert --customers N --json`
and `python3 ../shared/bench/price_war_simpy.py --customers N --seed 1` alternately, PAIRS
times, and prints a Markdown table of the medians (wall-clock seconds, peak memory) and the
ratio. Needs a release build (`cargo build --release --no-default-features`) and simpy.

    python3 tools/bench_vs_simpy.py [--pairs 5] [--sizes 1000,10000,50000]
"""
import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RALEUR = ROOT / "target" / "release" / "raleur"
MODEL = ROOT.parent / "shared" / "bench" / "price_war_simpy.py"


def timed(command):
    """Wall-clock seconds and peak resident memory (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far: only a new maximum is this child's.
    return elapsed, max(peak, before) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    if not RALEUR.exists():
        sys.exit(f"{RALEUR} is missing: cargo build --release --no-default-features")
    print("| customers | raleur (median s) | SimPy model (median s) | raleur faster by |")
    print("| --- | --- | --- | --- |")
    for size in [int(s) for s in args.sizes.split(",")]:
        ours, theirs = [], []
        for _ in range(args.pairs):
            ours.append(timed([str(RALEUR), "run", str(ROOT / "scenarios/price_war.ron"),
                               "--policy", "expert", "--customers", str(size), "--json"])[0])
            theirs.append(timed([sys.executable, str(MODEL), "--customers", str(size),
                                 "--seed", "1"])[0])
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {size:,} | {a:.3f} | {b:.3f} | {b / a:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
