"""The publish gate's findings on the benchmark corpus, in one process: `python -m bench.findings_speed [N]`.

Prints the one-time load (word, name and place data; patterns) and the time for N essays separately, as CPU
seconds (a shared machine's wall clock drifts). `--instructions` counts instructions instead, with valgrind's
callgrind (the same count for the same code and input whatever else the machine is doing): it runs this module
under callgrind with 0 and with N essays and prints the difference per essay and the load. Run it in two
checkouts (PYTHONPATH=plugins:. in each) to compare them; it finds the gate's function where older checkouts
kept it too.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import time


def _gate():
    try:
        from anonymize.scrub.findings.essay import unacknowledged
    except ImportError:  # checkouts before the library layout
        from anonymize.desk.gate import unacknowledged
    return unacknowledged


def measure(essays: int = 1000, seed: int = 1) -> tuple[float, float, int]:
    from bench.corpus import essay

    unacknowledged = _gate()
    rng = random.Random(seed)
    texts = [essay(rng, i) for i in range(max(essays, 1))]
    start = time.process_time()
    unacknowledged(texts[0])
    loaded = time.process_time()
    found = sum(len(unacknowledged(text)) for text in texts[:essays])
    return loaded - start, time.process_time() - loaded, found


def instructions(essays: int) -> tuple[int, int]:
    """(instructions per essay, instructions to start and load) under callgrind."""
    counts = []
    for n in (0, essays):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", sys.executable,
                                  "-m", "bench.findings_speed", str(n)], capture_output=True, text=True,
                                 env=os.environ, check=True)
        counts.append(int(re.search(r"Collected : (\d+)", out.stderr).group(1)))
    return (counts[1] - counts[0]) // max(essays, 1), counts[0]


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1000
    if "--instructions" in sys.argv:
        per, load = instructions(n)
        print(f"findings: {per:,} instructions per essay ({n} essays), {load:,} to start and load")
    else:
        load, run, found = measure(n)
        print(f"findings: load {load:.2f} s CPU, {n} essays {run:.2f} s CPU ({1000 * run / max(n, 1):.2f} ms each), "
              f"{found} findings")
