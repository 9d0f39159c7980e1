#!/usr/bin/env python3
"""Two (or more) builds of `quire`, interleaved on one library: the same commands run by each
binary in turn, round after round, so that a slow minute of the machine falls on all of them.

    benches/ab-cli.py LIBRARY OLD_QUIRE NEW_QUIRE [--rounds 12]

LIBRARY is a library `quire-bench library` built (target/bench-data/library/lib-100000.sqlite3).
Prints, per command and binary, the median and 95th percentile of the process's wall time in ms.
"""
import argparse
import statistics
import subprocess
import time

COMMANDS = {
    "search common word": ["search", "only", "--json"],
    "search 2-letter prefix": ["search", "pl*", "--json"],
    "search tag:X": ["search", "tag:politics/europe", "--json"],
    "list --tag X --sort title": ["list", "--tag", "security/europe", "--sort", "title", "--limit", "50", "--json"],
    "list --tag X (2,058)": ["list", "--tag", "politics/archive", "--sort", "title", "--limit", "50", "--json"],
    "list newest": ["list", "--limit", "50", "--json"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("library")
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3, help="runs of a command per binary and round")
    args = parser.parse_args()
    times = {(b, c): [] for b in args.binaries for c in COMMANDS}
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            for binary in args.binaries:
                for _ in range(args.runs):
                    started = time.perf_counter()
                    subprocess.run(
                        [binary, *command, "--library", args.library, "--no-backup"],
                        stdout=subprocess.DEVNULL,
                        check=True,
                    )
                    times[(binary, name)].append((time.perf_counter() - started) * 1000)
    for name in COMMANDS:
        cells = []
        for binary in args.binaries:
            t = sorted(times[(binary, name)])
            cells.append(f"{binary}: p50={statistics.median(t):.2f} p95={t[int(len(t) * 0.95)]:.2f}")
        print(f"{name:28s}", "   ".join(cells))


if __name__ == "__main__":
    main()
