"""Tag extraction against YAKE on the keyphrase benchmark: ``nox -s bench -- tags [--data PATH]``.

**The data** is JSON Lines, one document a line with its ``text`` and its gold
``keyphrases``: for instance the dev split of the Inspec benchmark, 500
computer-science abstracts with the keyphrases their indexers gave them.
``--data FILE`` names the file; without it, the environment variable
``CONTACTLOG_KEYPHRASE_DATA`` names the file or a folder holding ``dev.jsonl``
(the Inspec split, beside ``news_en_dev.jsonl`` and ``news_fr_dev.jsonl``).
With neither, the script says in one line that it skipped, and exits 0.

**The rule.** Only each extractor's first five phrases per document count.
Every predicted and gold phrase is lowercased, cut into the runs of
``[a-z0-9]+``, each run Porter-stemmed (``snowballstemmer``'s ``porter``) and
the stems joined by single spaces; empty and repeated predictions are dropped.
A prediction is right when it equals a gold phrase so normalised, exactly. Per
document, P@5 = right / predictions (0 with none), R@5 = right / gold phrases
and F1@5 their harmonic mean; the figures are the means over the documents
(macro averages). Speed is documents per second of extraction time alone
(scoring aside) on one core, both extractors in the same run, each after one
untimed warm-up call. Prints a table and the ratios ours / YAKE, and writes
them to ``bench/results/tags.json``.
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

import _common as common
import snowballstemmer

from contactlog_core.tags import default_extractor

DATA_VARIABLE = "CONTACTLOG_KEYPHRASE_DATA"
DATA_IN_FOLDER = "dev.jsonl"  # the English split the rule above is written for
SKIPPED = f"tags: skipped, no keyphrase data (pass --data FILE or set {DATA_VARIABLE})"
TOP = 5
WARMUP_TEXT = "A short warm-up sentence about contact logs, follow-up calls and invoices."

_PORTER = snowballstemmer.stemmer("porter")
_WORD = re.compile(r"[a-z0-9]+")

Extract = Callable[[str], Sequence[str]]


def normalise(phrase: str) -> str:
    """The compared form of a phrase: lowercased, alphanumeric runs, Porter stems, one space."""
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
    """Ours (the package default) and YAKE 0.7.3 with ``lan="en", n=3, top=5``."""
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


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help=f"a keyphrase .jsonl file (default: ${DATA_VARIABLE}, a file or a folder)",
    )
    common.add_out(parser, "tags")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument(
        "--quick", action="store_true", help="the first 100 documents (CI smoke run)"
    )
    args = parser.parse_args(argv)
    if args.data is None and os.environ.get(DATA_VARIABLE):
        args.data = data_in(Path(os.environ[DATA_VARIABLE]), parser)
    return args


def data_in(given: Path, parser: argparse.ArgumentParser) -> Path:
    """The file the environment variable names, or the one of the folder it names."""
    path = given / DATA_IN_FOLDER if given.is_dir() else given
    if not path.is_file():
        parser.error(f"{DATA_VARIABLE}={given}: no such file, nor a folder with {DATA_IN_FOLDER}")
    return path


def documents(path: Path, limit: int | None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines if line.strip()]
    return docs[:limit] if limit else docs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.data is None:
        print(SKIPPED)
        return 0
    docs = documents(args.data, 100 if args.quick and args.limit is None else args.limit)
    where = pin_one_core()
    results: dict[str, dict[str, float]] = {}
    for name, extract in extractors().items():
        extract(WARMUP_TEXT)  # lazy imports and first allocations, not the benchmark's words
        results[name] = run(extract, docs)

    print(f"{len(docs)} documents from {args.data} ({where}, Python {platform.python_version()})")
    print(table(results))
    ours, yake = results["contactlog_core"], results["yake 0.7.3"]
    ratios = {m: ours[m] / yake[m] if yake[m] else None for m in ours}
    report = {"data": str(args.data), "documents": len(docs), "results": results, "ratios": ratios}
    common.write_report(args.out, report, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
