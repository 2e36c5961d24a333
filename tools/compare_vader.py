#!/usr/bin/env python3
"""raleur tone against vaderSentiment-fr on the TyDiP-fr binary set, in one run.

Both classify each sentence as polite when their score is above neutral (raleur:
scores.politeness > 50; VADER-fr: compound > 0) and are timed on the same sentences, each
on one core: raleur through `raleur tone --jsonl` (process start, JSON in and out
included), VADER-fr through its Python API.

    pip install vaderSentiment-fr
    cargo build --release
    python3 tools/compare_vader.py [--repeat 20]
"""
import argparse
import csv
import json
import statistics
import subprocess
import time
import warnings

warnings.filterwarnings("ignore")
from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--binary", default="target/release/raleur")
    args = parser.parse_args()
    rows = list(csv.DictReader(open("tests/data/tydip-fr/fr_test_binary.csv", encoding="utf-8")))
    sentences = [r["sentence"] for r in rows]
    polite = [float(r["score"]) > 0 for r in rows]

    lines = "".join(json.dumps({"text": s}, ensure_ascii=False) + "\n" for s in sentences)
    raleur_times = []
    for _ in range(5):
        started = time.perf_counter()
        out = subprocess.run([args.binary, "tone", "--jsonl"], input=(lines * args.repeat).encode(),
                             capture_output=True, check=True).stdout
        raleur_times.append(time.perf_counter() - started)
    results = [json.loads(l) for l in out.decode().splitlines()[: len(sentences)]]
    raleur_correct = sum((r["scores"]["politeness"] > 50) == p for r, p in zip(results, polite))

    vader = SentimentIntensityAnalyzer()
    vader_times = []
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(max(1, args.repeat // 10)):
            compounds = [vader.polarity_scores(s)["compound"] for s in sentences]
        vader_times.append((time.perf_counter() - started) / max(1, args.repeat // 10))
    vader_correct = sum((c > 0) == p for c, p in zip(compounds, polite))

    n = len(sentences)
    raleur_rate = n * args.repeat / statistics.median(raleur_times)
    vader_rate = n / statistics.median(vader_times)
    print(f"TyDiP-fr binary set: {n} sentences, mean {statistics.mean(len(s) for s in sentences):.0f} characters")
    print(f"{'analyser':<34}{'accuracy':>9}{'sentences/s':>14}")
    print(f"{'raleur tone --jsonl (politeness>50)':<34}{raleur_correct / n:>9.3f}{raleur_rate:>14,.0f}")
    print(f"{'vaderSentiment-fr (compound>0)':<34}{vader_correct / n:>9.3f}{vader_rate:>14,.0f}")
    print(f"throughput ratio raleur / VADER-fr: {raleur_rate / vader_rate:.0f}x (medians of 5 and 3 runs)")


if __name__ == "__main__":
    main()
