"""WordNet load time: NLTK's own lemmatiser vs ``topics.resources.load_lemmatizer``.

Each measurement runs in a fresh Python process (``import nltk`` excluded): the lemmatiser
is made and asked for its first lemma, as ``topics run`` and the reports do.  CPU time is
the figure to compare on a shared machine; wall time follows the load.

    .venv/bin/python bench/wordnet_load.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

SNIPPET = """
import resource, sys, time
import nltk
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu()
if sys.argv[1] == "nltk":
    from nltk.stem import WordNetLemmatizer
    lemma = WordNetLemmatizer().lemmatize("geese")
else:
    from topics.resources import load_lemmatizer
    lemma = load_lemmatizer().lemmatize("geese")
assert lemma == "goose"
print(time.perf_counter() - t0, cpu() - c0)
"""


def measure(which: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", SNIPPET, which], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = {"nltk": [], "topics": []}
    for _ in range(args.repeats):  # interleaved, so that load on the machine hits both
        for which, times in runs.items():
            times.append(measure(which))
    for which, times in runs.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"{which:7s} first lemma: {wall:6.2f} s wall {cpu:6.2f} s CPU "
              f"(median of {len(times)})")


if __name__ == "__main__":
    main()
