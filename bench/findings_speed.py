"""CPU time of the publish gate's findings on the benchmark corpus, in one process: `python -m bench.findings_speed`.

Prints the one-time load (word, name and place data; patterns) and the time for N essays separately, as CPU
seconds (a shared machine's wall clock drifts). Run it on two checkouts to compare them.
"""

from __future__ import annotations

import random
import sys
import time


def measure(essays: int = 1000, seed: int = 1) -> tuple[float, float, int]:
    from anonymize.scrub.findings.essay import unacknowledged

    from bench.corpus import essay

    rng = random.Random(seed)
    texts = [essay(rng, i) for i in range(essays)]
    start = time.process_time()
    unacknowledged(texts[0])
    loaded = time.process_time()
    found = sum(len(unacknowledged(text)) for text in texts)
    return loaded - start, time.process_time() - loaded, found


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    load, run, found = measure(n)
    print(f"findings: load {load:.2f} s CPU, {n} essays {run:.2f} s CPU ({1000 * run / n:.2f} ms each), "
          f"{found} findings")
