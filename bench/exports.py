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
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from _common import machine, workdir

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

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "exports.json"
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


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident set (``VmRSS``) or its high-water mark (``VmHWM``), in MiB.

    From ``/proc/self/status`` on Linux: ``ru_maxrss`` there is inherited from the
    parent across fork and exec. Elsewhere ``ru_maxrss`` (bytes on macOS) for both.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def reset_peak_rss() -> None:
    """Start the high-water mark again from the current RSS (Linux 4.0+; else left as is)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


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
    if traced:
        tracemalloc.start()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    written = write(interactions(rows), path, timezone=TIMEZONE)
    seconds = time.perf_counter() - t0
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    result: dict[str, Any] = {"format": name, "rows": written, "seconds": seconds}
    if traced:
        result["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    peak = rss_mib("VmHWM")
    result.update(
        rows_per_s=written / seconds if seconds else 0.0,
        cpu_s=cpu_after.ru_utime - cpu.ru_utime + cpu_after.ru_stime - cpu.ru_stime,
        file_mib=path.stat().st_size / 2**20 if path.exists() else 0.0,
        rss_before_mib=rss_before,
        rss_peak_mib=peak,
        rss_growth_mib=peak - rss_before,
    )
    if path.exists():
        path.unlink()  # a million rows of each format need not all sit on disk at once
    return result


def run_child(name: str, rows: int, folder: Path, traced: bool = False) -> dict[str, Any]:
    """``child`` in a fresh interpreter; its JSON result."""
    command = [sys.executable, __file__, "--child", name, "--rows", str(rows), "--dir", str(folder)]
    command += ["--traced"] if traced else []
    print(f"  {name}: {rows:,} rows{' (tracemalloc)' if traced else ''} ...", flush=True)
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for CSV, XLSX, HTML")
    parser.add_argument("--pdf-rows", type=int, default=10_000, help="rows for the PDF")
    parser.add_argument(
        "--traced-rows", type=int, default=50_000, help="rows for the tracemalloc runs"
    )
    parser.add_argument("--dir", type=Path, default=None, help="where the files go")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a CI smoke run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.pdf_rows, args.traced_rows = 2_000, 200, 1_000
    if min(args.rows, args.pdf_rows, args.traced_rows) < 1:
        parser.error("--rows, --pdf-rows and --traced-rows must be >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.dir, args.traced)))
        return 0
    plan = [("generate", args.rows), *((f, args.rows) for f in STREAMING), ("pdf", args.pdf_rows)]
    results: list[dict[str, Any]] = []
    skipped: dict[str, list[str]] = {}
    with workdir(args.dir, "bench-exports-") as where:
        print(f"exports of generated interactions, files in {where}", flush=True)
        for name, rows in plan:
            if missing(name):
                skipped[name] = missing(name)
                continue
            results.append(run_child(name, rows, where))
        for name in STREAMING:
            if name not in skipped:
                traced = run_child(name, args.traced_rows, where, traced=True)
                results.append({**traced, "format": f"{name}*"})
    facts = machine()
    print(f"Python {facts['python']}, {facts['cpu_count']} CPUs, zone {TIMEZONE}")
    print(table(results))
    print(
        "peak RSS: the process's high-water mark (VmHWM); growth: over the RSS before the export;"
        " traced: tracemalloc peak (MiB), in the runs marked * at --traced-rows;"
        " generate: drawing the rows alone"
    )
    for name, modules in skipped.items():
        print(f"skipped {name}: {', '.join(modules)} not installed (pip install '.[export]')")
    verdicts = []
    for r in results:
        if r["format"] in STREAMING:
            ok = r["rss_growth_mib"] < TARGET_RSS_MIB
            verdicts.append(ok)
            status = "ok" if ok else "MISS"
            print(
                f"{r['format']}: RSS growth {r['rss_growth_mib']:.1f} MiB at {r['rows']:,} rows"
                f" (target < {TARGET_RSS_MIB:.0f} MiB at 1M): {status}"
            )
    flags = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    report = {"machine": facts, "flags": flags, "results": results, "skipped": skipped}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
