"""CPU time of link cleaning on the benchmark corpus's links, in one process: `python -m bench.links_speed [N] [R]`.

Every link target of N essays (bench/corpus.py: a tracking link and a mail-gateway link each) goes through
`clean_url`. Prints the one-time load of the rule tables, the first pass (a provider's regexes are compiled
when it first meets a URL) and the best of R later passes, as CPU seconds (a shared machine's wall clock
drifts). Run it on two checkouts to compare them.
"""

from __future__ import annotations

import random
import re
import sys
import time

LINK = re.compile(r"\]\((https?://[^)\s]+)\)|src=\"(https?://[^\"]+)\"")


def links(essays: int = 1000, seed: int = 1) -> list[str]:
    from bench.corpus import essay

    rng = random.Random(seed)
    return [a or b for i in range(essays) for a, b in LINK.findall(essay(rng, i))]


def measure(essays: int = 1000, repeats: int = 15) -> tuple[float, float, float, int]:
    from anonymize.scrub.links import clean_url, rules

    urls = links(essays)
    start = time.process_time()
    rules()
    loaded = time.process_time()
    for url in urls:
        clean_url(url)
    first = time.process_time() - loaded
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for url in urls:
            clean_url(url)
        best = min(best, time.process_time() - t0)
    return loaded - start, first, best, len(urls)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    r = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    load, first, best, count = measure(n, r)
    print(f"links: load {1000 * load:.0f} ms CPU, {count} links of {n} essays: first pass {1000 * first:.0f} ms, "
          f"best of {r} {1000 * best:.0f} ms CPU ({1e6 * best / count:.1f} us each)")
