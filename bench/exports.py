"""Exports of interactions at scale: ``nox -s bench -- exports [--rows N] [--quick]``.

``--rows N`` interactions (default 1,000,000) are generated lazily, one at a
time as the writer asks for them (accents, Greek, Cyrillic, CJK and emoji in
the names and subjects, one in 50 redacted), and written to files in a
temporary directory (or ``--dir``): **CSV**, **XLSX** and **HTML** at N rows,
**PDF** at ``--pdf-rows`` (default 10,000; fpdf2 builds the whole document
in memory). Each run is a fresh ``python`` process, so its imports, memory
high-water mark and caches are its own. A ``generate`` run only draws the
rows from the generator, so its time can be told apart from the writers'.

Reported per format: rows, seconds, rows/s, file size, the process's peak
RSS (``VmHWM``) and its growth over the RSS just before the export (imports
done, one small export made); then, in a second run per streaming format at
``--traced-rows`` (default 50,000: tracemalloc slows every allocation
several fold), the ``tracemalloc`` peak of Python allocations during the
export. Target: peak RSS growth under 200 MB at 1M rows for CSV, XLSX and
HTML. A format whose optional library is missing (openpyxl and fpdf2 come
with the ``export`` extra) is skipped with a note.

Run ``python bench/exports.py --rows 1000000``, or ``--quick`` for a smoke
run. Results go to ``bench/results/exports.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import _common as common
from _measure import measured, reset_peak_rss, rss_mib, run_child

from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.instants import from_micros

TIMEZONE = "Europe/Paris"
TARGET_RSS_MIB = 200.0
START_US = 1_790_000_000 * 10**6  # 2026-09-21, and a minute more per row
STREAMING = ("csv", "xlsx", "html")
NEEDS = {"xlsx": ("openpyxl",), "pdf": ("fpdf", "fontpkg")}

_CLIENTS = [
    ClientRef(id=f"client-{n}", name=name)
    for n, name in enumerate(
        ["Jane Doe", "Zoë Müller-Straße", "Ελένη Παπαδοπούλου", "Иван Петров", "王小明", "Sam 🙂"]
    )
]
_SUBJECTS = [
    "RE: Invoice {n} for the roof repair at {n} Station Road",
    "Reçu n° {n}: façade et coöpération",
    "Συνάντηση {n} για το συμβόλαιο",  # noqa: RUF001 - Greek on purpose
    "Счёт {n} за ремонт крыши",
    "屋顶维修的发票 {n}",
    "Party {n} 🎉 booked 👍🏽",
]
_KINDS = list(InteractionKind)
_DIRECTIONS = list(Direction)


def interactions(count: int) -> Iterator[Interaction]:
    """``count`` interactions, each made when asked for: nothing is held."""
    org, alice, links = OrgId("northfield"), StaffId("alice"), InteractionLinks()
    captured = from_micros(START_US)
    for n in range(count):
        at = from_micros(START_US + n * 60_000_000)
        redaction = Redaction(by=StaffId("principal"), at=at) if n % 50 == 49 else None
        subject = "" if redaction else _SUBJECTS[n % len(_SUBJECTS)].format(n=n)
        yield Interaction(
            id=InteractionId(f"int-{n:08d}"),
            org_id=org,
            client=_CLIENTS[n % len(_CLIENTS)],
            kind=_KINDS[n % len(_KINDS)],
            direction=_DIRECTIONS[n % len(_DIRECTIONS)],
            counterpart=Counterpart()
            if redaction
            else Counterpart(f"Contact {n}", f"c{n}@mail.example"),
            subject=subject,
            body="" if redaction else "The body is never exported. " * 20,
            occurred_at=at,
            source="imap",
            source_ref=f"<m{n}@mail.example>",
            description="" if redaction else subject[:80],
            tags=() if redaction else (f"invoice {n}", "roof repair"),
            links=links,
            captured_by=alice,
            captured_at=captured,
            updated_at=captured,
            redaction=redaction,
        )


# --- one run, in a child process -----------------------------------------------------------


def writer_of(name: str) -> Callable[..., int]:
    if name == "generate":
        return lambda items, target, **_: sum(1 for _ in items)
    from contactlog_core.exports import FORMATS

    return FORMATS[name]


def child(name: str, rows: int, folder: Path, traced: bool) -> dict[str, Any]:
    """Write ``rows`` interactions in format ``name`` once, measured: the child's body."""
    write = writer_of(name)
    path = folder / f"interactions-{rows}{'-traced' if traced else ''}.{name}"
    write(interactions(10), folder / f"warm-up.{name}", timezone=TIMEZONE)  # imports, caches
    gc.collect()
    reset_peak_rss()
    rss_before = rss_mib()
    with measured(traced) as run:
        written = write(interactions(rows), path, timezone=TIMEZONE)
    result: dict[str, Any] = {"format": name, "rows": written, "seconds": run.seconds}
    if run.tracemalloc_peak_mib is not None:
        result["tracemalloc_peak_mib"] = run.tracemalloc_peak_mib
    peak = rss_mib("VmHWM")
    result.update(
        rows_per_s=written / run.seconds if run.seconds else 0.0,
        cpu_s=run.user_s + run.system_s,
        file_mib=path.stat().st_size / 2**20 if path.exists() else 0.0,
        rss_before_mib=rss_before,
        rss_peak_mib=peak,
        rss_growth_mib=peak - rss_before,
    )
    if path.exists():
        path.unlink()  # a million rows of each format need not all sit on disk at once
    return result


def run_format(name: str, rows: int, folder: Path, traced: bool = False) -> dict[str, Any]:
    """``child`` in a fresh interpreter; its JSON result."""
    print(f"  {name}: {rows:,} rows{' (tracemalloc)' if traced else ''} ...", flush=True)
    flags = ["--rows", str(rows), "--dir", str(folder), *(["--traced"] if traced else [])]
    return run_child(__file__, name, *flags)


def missing(name: str) -> list[str]:
    return [m for m in NEEDS.get(name, ()) if importlib.util.find_spec(m) is None]


# --- reporting -----------------------------------------------------------------------------


def table(results: Sequence[dict[str, Any]]) -> str:
    head = (
        f"{'format':<9}{'rows':>11}{'seconds':>9}{'rows/s':>10}{'file MiB':>10}"
        f"{'peak RSS':>10}{'growth':>9}{'traced':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        traced = r.get("tracemalloc_peak_mib")
        lines.append(
            f"{r['format']:<9}{r['rows']:>11,}{r['seconds']:>9.1f}{r['rows_per_s']:>10,.0f}"
            f"{r['file_mib']:>10.1f}{r['rss_peak_mib']:>10.1f}{r['rss_growth_mib']:>9.1f}"
            f"{'' if traced is None else f'{traced:.2f}':>9}"
        )
    return "\n".join(lines)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for CSV, XLSX, HTML")
    parser.add_argument("--pdf-rows", type=int, default=10_000, help="rows for the PDF")
    parser.add_argument(
        "--traced-rows", type=int, default=50_000, help="rows for the tracemalloc runs"
    )
    common.add_dir(parser, "where the files go")
    common.add_out(parser, "exports")
    common.add_quick(parser)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.pdf_rows, args.traced_rows = 2_000, 200, 1_000
    if min(args.rows, args.pdf_rows, args.traced_rows) < 1:
        parser.error("--rows, --pdf-rows and --traced-rows must be >= 1")
    return args


def run_all(args: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Every format at its size, then each streaming one traced; and the formats skipped."""
    sizes = [("generate", args.rows), *((f, args.rows) for f in STREAMING), ("pdf", args.pdf_rows)]
    results: list[dict[str, Any]] = []
    skipped: dict[str, list[str]] = {}
    with common.workdir(args.dir, "bench-exports-") as where:
        print(f"exports of generated interactions, files in {where}", flush=True)
        for name, rows in sizes:
            if missing(name):
                skipped[name] = missing(name)
                continue
            results.append(run_format(name, rows, where))
        for name in STREAMING:
            if name not in skipped:
                traced = run_format(name, args.traced_rows, where, traced=True)
                results.append({**traced, "format": f"{name}*"})
    return results, skipped


def print_verdicts(results: Sequence[dict[str, Any]]) -> list[bool]:
    """The memory target of each streaming format's full run; whether each was met."""
    verdicts = []
    for r in results:
        if r["format"] in STREAMING:
            ok = r["rss_growth_mib"] < TARGET_RSS_MIB
            verdicts.append(ok)
            print(
                f"{r['format']}: RSS growth {r['rss_growth_mib']:.1f} MiB at {r['rows']:,} rows"
                f" (target < {TARGET_RSS_MIB:.0f} MiB at 1M): {common.verdict(ok)}"
            )
    return verdicts


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.dir, args.traced)))
        return 0
    results, skipped = run_all(args)
    facts = common.machine()
    print(common.machine_line(facts, f"zone {TIMEZONE}", sqlite=False))
    print(table(results))
    print(
        "peak RSS: the process's high-water mark (VmHWM); growth: over the RSS before the export;"
        " traced: tracemalloc peak (MiB), in the runs marked * at --traced-rows;"
        " generate: drawing the rows alone"
    )
    for name, modules in skipped.items():
        print(f"skipped {name}: {', '.join(modules)} not installed (pip install '.[export]')")
    verdicts = print_verdicts(results)
    report = {
        "machine": facts,
        "flags": common.flags_of(args),
        "results": results,
        "skipped": skipped,
    }
    common.write_report(args.out, report, ensure_ascii=True)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
