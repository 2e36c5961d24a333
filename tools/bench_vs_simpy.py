#!/usr/bin/env python3
"""raleur against the SimPy model of the price war, whole process, interleaved.

For each size, runs `raleur run scenarios/price_war.ron --policy expert --customers N --json`
and `python3 ../shared/bench/price_war_simpy.py --customers N --seed 1` alternately, PAIRS
times, and prints a Markdown table of the medians (wall-clock seconds, peak memory) and the
ratio. Needs a release build (`cargo build --release --no-default-features`) and simpy.

    python3 tools/bench_vs_simpy.py [--pairs 5] [--sizes 1000,10000,50000]
    python3 tools/bench_vs_simpy.py --scaling [--sizes 1000,10000,50000,100000]

`--scaling` prints, for one run of each at each size, the time, the transcript events per
second and the peak memory, to see how cost grows.
"""
import json
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RALEUR = ROOT / "target" / "release" / "raleur"
MODEL = ROOT.parent / "shared" / "bench" / "price_war_simpy.py"


def timed(command):
    """Wall-clock seconds, peak resident memory (MB) and the JSON summary of one run."""
    start = time.perf_counter()
    # GNU time reports the child's own peak; getrusage would give the largest child so far.
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], check=True,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb / 1024, json.loads(done.stdout)


def ours(size):
    return [str(RALEUR), "run", str(ROOT / "scenarios/price_war.ron"), "--policy", "expert",
            "--customers", str(size), "--json"]


def theirs(size):
    return [sys.executable, str(MODEL), "--customers", str(size), "--seed", "1"]


def scaling(sizes):
    print("| customers | raleur s | raleur events/s | raleur peak MB | model s | model events/s | model peak MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in sizes:
        a, a_mb, a_summary = timed(ours(size))
        b, b_mb, b_summary = timed(theirs(size))
        print(f"| {size:,} | {a:.2f} | {a_summary['events'] / a:,.0f} | {a_mb:.0f} "
              f"| {b:.2f} | {b_summary['events'] / b:,.0f} | {b_mb:.0f} |", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--scaling", action="store_true")
    args = parser.parse_args()
    if not RALEUR.exists():
        sys.exit(f"{RALEUR} is missing: cargo build --release --no-default-features")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.scaling:
        scaling(sizes)
        return
    print("| customers | raleur (median s) | SimPy model (median s) | raleur faster by |")
    print("| --- | --- | --- | --- |")
    for size in sizes:
        a_runs, b_runs = [], []
        for _ in range(args.pairs):
            a_runs.append(timed(ours(size))[0])
            b_runs.append(timed(theirs(size))[0])
        a, b = statistics.median(a_runs), statistics.median(b_runs)
        print(f"| {size:,} | {a:.3f} | {b:.3f} | {b / a:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
