"""How the benchmarks measure: percentiles, a timed run's CPU and memory, child processes."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import attrs

__all__ = [
    "Measured",
    "io_mib",
    "measured",
    "median_run",
    "percentile",
    "reset_peak_rss",
    "rss_mib",
    "run_child",
    "stats_ms",
]

Run = TypeVar("Run")


# --- latencies -----------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def stats_ms(latencies_ns: Sequence[int], fields: Sequence[str]) -> dict[str, float]:
    """The latencies in ms, summed up by ``fields`` in that order.

    A field is ``n`` (how many), ``pNN_ms`` (a percentile), ``mean_ms`` or ``max_ms``.
    """
    ordered = sorted(ns / 1e6 for ns in latencies_ns)

    def value(field: str) -> float:
        if field == "n":
            return len(ordered)
        if field == "mean_ms":
            return statistics.fmean(ordered)
        if field == "max_ms":
            return ordered[-1]
        return percentile(ordered, float(field.removeprefix("p").removesuffix("_ms")))

    return {field: value(field) for field in fields}


def median_run(runs: Sequence[Run], seconds: Callable[[Run], float]) -> Run:
    """The run with the median seconds (the lower one of the middle two)."""
    return sorted(runs, key=seconds)[(len(runs) - 1) // 2]


# --- a timed run ---------------------------------------------------------------------------


@attrs.define
class Measured:
    """A timed body's figures, filled in by ``measured`` when the body ends."""

    seconds: float = 0.0
    user_s: float = 0.0
    system_s: float = 0.0
    tracemalloc_peak_mib: float | None = None  # only when traced


@contextmanager
def measured(traced: bool) -> Iterator[Measured]:
    """The wall-clock and CPU seconds of the body, and its ``tracemalloc`` peak if ``traced``."""
    out = Measured()
    if traced:
        tracemalloc.start()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    yield out
    out.seconds = time.perf_counter() - t0
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    out.user_s = cpu_after.ru_utime - cpu.ru_utime
    out.system_s = cpu_after.ru_stime - cpu.ru_stime
    if traced:
        out.tracemalloc_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident set (``VmRSS``) or its high-water mark (``VmHWM``), in MiB.

    From ``/proc/self/status`` on Linux: ``ru_maxrss`` there is inherited from
    the parent across fork and exec, so a child started by a big parent would
    report the parent's peak. Elsewhere ``ru_maxrss`` (bytes on macOS) for both.
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


def io_mib() -> dict[str, float]:
    """Bytes this process passed to read and write calls so far (Linux), in MiB.

    SQLite reads and writes pages with such calls, so this counts page-cache
    misses, WAL frames and checkpoints, whether or not the disk was touched.
    """
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            fields = dict(line.split(":") for line in io)
    except OSError:
        return {}
    return {"read_mib": int(fields["rchar"]) / 2**20, "written_mib": int(fields["wchar"]) / 2**20}


# --- child processes -----------------------------------------------------------------------


def run_child(script: str, *args: str) -> dict[str, Any]:
    """``python SCRIPT --child ARGS`` in a fresh interpreter; the JSON it prints last.

    A fresh process has its own imports, memory high-water mark and SQLite page cache.
    """
    command = [sys.executable, script, "--child", *args]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
