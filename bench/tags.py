"""Tag extraction against YAKE on the keyphrase benchmark: ``nox -s bench -- tags [--data PATH]``.

The rule is the one in ``../shared/data/keyphrase/README.md``: each extractor's
first five phrases per document, predicted and gold phrases lowercased, split
on non-alphanumerics, Porter-stemmed and compared by exact match; macro
P@5, R@5 and F1@5 over the documents, and documents per second of extraction
time, both extractors in the same run on one core. Prints a table and the
ratios ours / YAKE, and writes them to ``bench/results/tags.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import snowballstemmer

from contactlog_core.tags import default_extractor

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "keyphrase" / "dev.jsonl"
DEFAULT_OUT = HERE / "results" / "tags.json"
TOP = 5
WARMUP_TEXT = "A short warm-up sentence about contact logs, follow-up calls and invoices."

_PORTER = snowballstemmer.stemmer("porter")
_WORD = re.compile(r"[a-z0-9]+")

Extract = Callable[[str], Sequence[str]]


def normalise(phrase: str) -> str:
    """The README's form of a phrase: lowercased, alphanumeric runs, Porter stems, one space."""
    return " ".join(_PORTER.stemWords(_WORD.findall(phrase.lower())))


def score_document(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """P, R and F1 of one document's first ``TOP`` predictions."""
    wanted = {normalise(g) for g in gold} - {""}
    guesses = list(dict.fromkeys(n for n in map(normalise, predicted[:TOP]) if n))
    correct = sum(1 for g in guesses if g in wanted)
    p = correct / len(guesses) if guesses else 0.0
    r = correct / len(wanted) if wanted else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def run(extract: Extract, docs: list[dict[str, Any]]) -> dict[str, float]:
    """Extract from every document (timed), then score the predictions (not timed)."""
    start = time.perf_counter()
    predictions = [extract(doc["text"]) for doc in docs]
    seconds = time.perf_counter() - start
    scores = [score_document(p, d["keyphrases"]) for p, d in zip(predictions, docs, strict=True)]
    n = len(docs)
    return {
        "f1@5": sum(s[2] for s in scores) / n,
        "p@5": sum(s[0] for s in scores) / n,
        "r@5": sum(s[1] for s in scores) / n,
        "docs_per_s": n / seconds,
    }


def extractors() -> dict[str, Extract]:
    """Ours (the package default) and YAKE 0.7.3 with the README's settings."""
    import yake  # only installed in the benchmark session

    ours = default_extractor("en")
    kw = yake.KeywordExtractor(lan="en", n=3, top=TOP)
    return {
        "contactlog_core": lambda text: ours.extract(text, k=TOP),
        "yake 0.7.3": lambda text: [phrase for phrase, _ in kw.extract_keywords(text)],
    }


def pin_one_core() -> str:
    """Run on a single core where the OS allows it, so docs/s compare like for like."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"core {core}"
    return "unpinned"


def table(results: dict[str, dict[str, float]]) -> str:
    """The results as a fixed-width table, then the ratios ours / YAKE."""
    lines = [f"{'extractor':<16}{'F1@5':>8}{'P@5':>8}{'R@5':>8}{'docs/s':>10}"]
    for name, r in results.items():
        lines.append(
            f"{name:<16}{r['f1@5']:>8.3f}{r['p@5']:>8.3f}{r['r@5']:>8.3f}{r['docs_per_s']:>10.0f}"
        )
    ours, yake = results["contactlog_core"], results["yake 0.7.3"]
    ratios = {m: ours[m] / yake[m] if yake[m] else float("inf") for m in ours}
    lines.append(
        f"{'ratio ours/yake':<16}{ratios['f1@5']:>8.2f}{ratios['p@5']:>8.2f}"
        f"{ratios['r@5']:>8.2f}{ratios['docs_per_s']:>10.1f}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a keyphrase .jsonl file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument(
        "--quick", action="store_true", help="the first 100 documents (CI smoke run)"
    )
    args = parser.parse_args(argv)

    with args.data.open(encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines if line.strip()]
    limit = 100 if args.quick and args.limit is None else args.limit
    docs = docs[:limit] if limit else docs
    where = pin_one_core()
    results: dict[str, dict[str, float]] = {}
    for name, extract in extractors().items():
        extract(WARMUP_TEXT)  # lazy imports and first allocations, not the benchmark's words
        results[name] = run(extract, docs)

    print(f"{len(docs)} documents from {args.data} ({where}, Python {platform.python_version()})")
    print(table(results))
    ours, yake = results["contactlog_core"], results["yake 0.7.3"]
    ratios = {m: ours[m] / yake[m] if yake[m] else None for m in ours}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"data": str(args.data), "documents": len(docs), "results": results, "ratios": ratios}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
