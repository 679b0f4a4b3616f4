"""Start-up cost: ``import assistant`` and ``byline --help`` against a bare interpreter.

    .venv/bin/python benchmarks/startup.py [--runs 10]

Each command runs ``--runs`` times in a fresh process; the median is printed beside the
median of ``python -c pass`` measured in the same run (this machine is shared and noisy).
Goal: both well under a second. ``tests/test_offline.py`` checks the reason they stay
fast (no model library imported at import time); this prints how fast.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "import assistant, engine, cli": [sys.executable, "-c", "import assistant, assistant.engine, assistant.cli"],
    "byline --help": [sys.executable, "-m", "assistant.cli", "--help"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    medians = {}
    for name, command in COMMANDS.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        medians[name] = statistics.median(times)
    baseline = medians["python -c pass (baseline)"]
    for name, seconds in medians.items():
        print(f"{name:32} median {seconds * 1000:6.0f} ms  ({seconds / baseline:4.1f} x the bare interpreter)")


if __name__ == "__main__":
    main()
