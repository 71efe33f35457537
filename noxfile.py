"""Sessions a newcomer can run: ``nox -s tests``, ``lint``, ``typecheck``, ``docs``, ``demo``, ``bench``, ``long``, ``torture``."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = os.environ.get("CONTACTLOG_NOX_PYTHON") or None
DOMAIN_COVERAGE_FLOOR = 95


def _pytest(
    session: nox.Session, *args: str, profile: str, workers: bool = True, coverage: bool = False
) -> None:
    """Install the package (not editable: we test what users get) and run pytest with ``args``.

    ``profile`` is the Hypothesis profile (``tests/conftest.py``); ``workers`` spreads the
    tests over every core (pytest-xdist); ``coverage`` measures branches for the report.
    """
    session.install(".[dev]")
    session.env["HYPOTHESIS_PROFILE"] = os.environ.get("HYPOTHESIS_PROFILE", profile)
    options = ["-n", "auto"] if workers else []
    if coverage:
        session.env.setdefault("COVERAGE_FILE", os.path.join(session.create_tmp(), ".coverage"))
        options += ["--cov=contactlog_core", "--cov-branch", "--cov-report=term"]
    session.run("pytest", *options, *args, *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit, contract, property and docs tests, then the domain's branch coverage (floor 95%).

    The heavy cases run small here and at full size in ``nox -s long``.
    """
    session.log("About 2 minutes on 2 cores plus the install; heavy cases in full: nox -s long")
    _pytest(
        session, "tests", "--ignore=tests/torture", "-m", "not slow", profile="ci", coverage=True
    )
    session.run(
        "coverage",
        "report",
        "--include=*/contactlog_core/domain/*",
        f"--fail-under={DOMAIN_COVERAGE_FLOOR}",
    )


@nox.session(python=PYTHON)
def long(session: nox.Session) -> None:
    """The state machines and heavy properties at full size, and the slow cases (about 3 minutes)."""
    _pytest(
        session,
        "tests",
        "--ignore=tests/torture",
        "-m",
        "slow or stateful or sized",
        profile="long",
    )


@nox.session(python=PYTHON)
def torture(session: nox.Session) -> None:
    """Races, crashes and long state-machine runs; sizes by ``-- --size N``."""
    _pytest(session, "tests/torture", profile="torture", workers=False, coverage=True)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and the import-linter layer contracts."""
    session.install(".[dev]")
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "bench", "noxfile.py")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install(".[dev]")
    session.run("mypy", "--strict", "src")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the docs with ``mkdocs build --strict``."""
    session.install(".", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.26")
    session.run(
        "mkdocs", "build", "--strict", "--site-dir", os.path.join(session.create_tmp(), "site")
    )


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Install the package as a user would and run ``contactlog demo``."""
    session.install(".")
    session.run("contactlog", "demo", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks that print ratios to a named baseline: ``nox -s bench -- NAME [flags]``.

    Each ``bench/NAME.py`` is one benchmark; with no name, every one runs at its default size.
    """
    session.install(".[export]")
    names = [a for a in session.posargs if not a.startswith("-")][:1]
    flags = [a for a in session.posargs if a not in names]
    scripts = [f"bench/{n}.py" for n in names] or sorted(
        f"bench/{f}" for f in os.listdir("bench") if f.endswith(".py") and not f.startswith("_")
    )
    for script in scripts:
        requirements = script.removesuffix(".py") + ".requirements.txt"
        if os.path.exists(requirements):
            session.install("-r", requirements)
        session.run("python", script, *flags)
