"""Run the benchmarks in bench/ and write their figures to docs/benchmarks.md.

Each ``bench/bench_*.py`` module defines ``run() -> list[Figure]``. The benchmarks run against a
throwaway database (a test database of the configured engine: SQLite by default, PostgreSQL
when DATABASE_URL says so), never against the development data.

    make bench                     # every benchmark
    .venv/bin/python bench/run.py demo   # those whose module name contains "demo" (their rows
                                         # of docs/benchmarks.md are replaced, the others kept)
"""

import datetime
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgec.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from bench.common import Figure  # noqa: E402


def main(selection: list[str]) -> None:
    modules = sorted(
        path.stem
        for path in (ROOT / "bench").glob("bench_*.py")
        if not selection or any(word in path.stem for word in selection)
    )
    setup_test_environment()
    # Pages render with the plain static storage: benchmarks do not run collectstatic, whose
    # manifest the production storage needs.
    plain_static = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain_static.enable()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures: list[tuple[str, Figure]] = []
    try:
        for name in modules:
            # Each benchmark starts from an empty database.
            call_command("flush", interactive=False, verbosity=0)
            module = importlib.import_module(f"bench.{name}")
            print(f"## {name}: {module.__doc__.strip().splitlines()[0]}", flush=True)
            for figure in module.run():
                print(f"  {figure.line()}", flush=True)
                figures.append((name, figure))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        plain_static.disable()
        teardown_test_environment()
    _write(figures)


HEADER = """# Benchmarks

Written by `make bench` (bench/run.py), once per database; do not edit by hand. A target is an
issue's goal or a peer's figure, its source named where bench/ sets it: issue 13, the final
document at 100x in under 60 s and 1 GiB in each format; issue 17, every page within five times
its floor and under 12 queries at 100x on PostgreSQL, the load test with no error and p95 under
500 ms, sending to 50,000 addresses in under 8 minutes. Peers, where the issues compare with
them: Decidim's 900-proposal list in 7.4 s (decidim/decidim#13701), its export of 11,953
proposals in about 15 minutes and 1.5 GB (decidim/decidim#8593). A figure with neither has no
target; a figure beyond its target is marked **over**.
"""


def _write(figures: list[tuple[str, Figure]]) -> None:
    """Replace the rows of the benchmarks that ran in this database's section of
    docs/benchmarks.md, keeping the other benchmarks' rows and the other database's section."""
    path = ROOT / "docs" / "benchmarks.md"
    path.parent.mkdir(exist_ok=True)
    vendor = connection.vendor
    sections: dict[str, str] = {}
    if path.exists():
        for chunk in path.read_text().split("\n## ")[1:]:
            title, _, body = chunk.partition("\n")
            sections[title.strip()] = body.strip()
    ran = {name for name, _ in figures}
    # A run of some paths only (BENCH_PATHS) replaces the rows it measured and keeps the others.
    measured = {(name, figure.measure) for name, figure in figures}
    partial = bool(os.environ.get("BENCH_PATHS"))

    def _kept(line: str) -> bool:
        name, measure = (cell.strip() for cell in line.split("|")[1:3])
        if name not in ran:
            return True
        return partial and not any(
            measure == m or measure.startswith(f"{m} (") for n, m in measured if n == name
        )

    kept = [
        line
        for line in sections.get(vendor, "").splitlines()
        if line.startswith("| bench_") and _kept(line)
    ]
    table = sorted(
        [*kept, *(figure.row(name) for name, figure in figures)],
        key=lambda line: line.split("|")[1].strip(),
    )
    rows = [
        f"Last run {datetime.datetime.now(datetime.UTC):%Y-%m-%d}: "
        f"Python {platform.python_version()}, {os.cpu_count()} cores.",
        "",
        "| benchmark | measure | figure | target |",
        "|---|---|---|---|",
        *table,
    ]
    sections[vendor] = "\n".join(rows)
    text = HEADER + "".join(f"\n## {title}\n\n{body}\n" for title, body in sorted(sections.items()))
    path.write_text(text)
    print(f"wrote the {vendor} section of docs/benchmarks.md ({len(figures)} figures)")


if __name__ == "__main__":
    main(sys.argv[1:])
