"""National-scale benchmark: seed, serve with gunicorn, load from another process, measure.

For each database (SQLite, and PostgreSQL when it answers on 127.0.0.1:5432):
  1. seed 150 organisations, ~10,000 reports, ~100,000 actions and ~500,000 updates
     (kept between runs in instance/bench/ or the bench_national PostgreSQL database; reseeded if absent);
  2. serve the app with gunicorn (2 workers) and measure median, p95 and throughput of the
     dashboard, a filtered action list, an action page, GET /api/v1/actions, the board's next-meeting
     page and the themes page (as the manager of one organisation), and the oversight comparison of
     all 150 organisations and its CSV export (as an oversight user of the Youth Justice Board),
     beside /healthz in the same run, from a load generator in another process (bench/load.py);
  3. time one reminder run over every action, and its peak memory (bench/reminder_run.py);
  4. count SQL statements per page at national scale and on a small database.
Writes its own sections of BENCHMARKS.md (the preamble, one per database, the targets and the query
counts) and keeps every other section (report parsing, plan import) as it is (bench/sections.py).
Load averages before and after each database's run are recorded beside its figures.

    BENCH_POSTGRES_DATABASE (default bench_national) names the PostgreSQL database it seeds and drops.

    python bench/scale_bench.py [--databases sqlite,postgresql] [--duration 10] [--concurrency 4]
                                [--no-reminders]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from sections import load_average, section, split, write_sections  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "instance" / "bench"
SCALE = {"organisations": 150, "reports": 68, "actions_per_report": 10, "updates_per_action": 5}
BENCH_USER = "manager@service-0002.example"
BENCH_SLUG = "service-0002"
OVERSIGHT_USER = "oversight@yjb.example"
OVERSIGHT_SLUG = "yjb"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# A database of its own, never one the test suites use.
POSTGRES_DATABASE = os.environ.get("BENCH_POSTGRES_DATABASE", "bench_national")
POSTGRES_BENCH = f"postgresql://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}"


def flask(url: str, *args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "development"}
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
    )
    if check and result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr}")
    return result


def counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("organisations", "reports", "actions", "updates")
            }
    except Exception:
        return {}
    finally:
        engine.dispose()


def reset(kind: str, url: str) -> None:
    if kind == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (POSTGRES_DATABASE,)).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    with psycopg.connect(POSTGRES_BENCH, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def prepare(kind: str, url: str) -> dict:
    """Seed the database at national scale unless an earlier run already did."""
    state_file = WORK / f"{kind}.json"
    have = counts(url)
    if state_file.exists() and have.get("actions", 0) >= 100_000:
        flask(url, "db", "upgrade")  # data seeded by an earlier version gets this version's tables
        state = json.loads(state_file.read_text())
        state["seed_seconds"] = state.get("seed_seconds")
        add_oversight_user(url, state)
        state_file.write_text(json.dumps(state))
        return state
    reset(kind, url)
    flask(url, "db", "upgrade")
    started = time.perf_counter()
    seeded = flask(
        url,
        "tracker",
        "seed-demo",
        "--organisations",
        str(SCALE["organisations"]),
        "--reports",
        str(SCALE["reports"]),
        "--actions-per-report",
        str(SCALE["actions_per_report"]),
        "--updates-per-action",
        str(SCALE["updates_per_action"]),
        "--credentials-file",
        str(WORK / f"{kind}-sign-in.txt"),
    )
    seed_seconds = round(time.perf_counter() - started, 1)
    password = seeded.stdout.split("password for every demo user: ")[1].split(")")[0]
    token = flask(url, "tracker", "create-token", BENCH_USER, "--name", "benchmark").stdout.strip()
    state = {"password": password, "token": token, "seed_seconds": seed_seconds}
    add_oversight_user(url, state)
    state_file.write_text(json.dumps(state))
    return state


def add_oversight_user(url: str, state: dict) -> None:
    """The Youth Justice Board (an organisation, as before, so the comparison has the same rows)
    and one reader with an oversight grant over every organisation."""
    if state.get("oversight"):
        return
    flask(url, "tracker", "create-organisation", OVERSIGHT_SLUG, "--name", "Youth Justice Board")
    flask(
        url,
        "tracker",
        "grant-oversight",
        OVERSIGHT_USER,
        "--body",
        "Youth Justice Board",
        "--all",
        "--name",
        "Olu Oversight",
        stdin=state["password"] + "\n",
    )
    state["oversight"] = OVERSIGHT_USER


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, cache_type: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TRACKER_CONFIG": "production",
        "SECRET_KEY": "benchmark-" + "x" * 40,
        "SESSION_COOKIE_SECURE": "0",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "CACHE_TYPE": cache_type,
    }
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def first_action_id(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        action_id = connection.execute(
            text(
                "SELECT actions.id FROM actions JOIN organisations ON organisations.id = actions.organisation_id "
                "WHERE organisations.slug = :slug ORDER BY actions.id LIMIT 1"
            ),
            {"slug": BENCH_SLUG},
        ).scalar()
    engine.dispose()
    return action_id


def run_python(script: str, url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "development"}
    result = subprocess.run(
        [str(VENV_BIN / "python"), str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"{script} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def small_database_query_counts() -> dict:
    """The same pages on a small database, to show queries per page do not grow with data."""
    url = f"sqlite:///{WORK / 'small.sqlite3'}"
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    flask(url, "db", "upgrade")
    seeded = flask(
        url,
        "tracker",
        "seed-demo",
        "--organisations",
        "3",
        "--reports",
        "2",
        "--actions-per-report",
        "3",
        "--updates-per-action",
        "1",
        "--credentials-file",
        str(WORK / "small-sign-in.txt"),
    )
    password = seeded.stdout.split("password for every demo user: ")[1].split(")")[0]
    token = flask(url, "tracker", "create-token", BENCH_USER).stdout.strip()
    add_oversight_user(url, {"password": password})
    return run_python(
        "query_counts.py", url, BENCH_USER, password, BENCH_SLUG, str(first_action_id(url)), token, OVERSIGHT_USER
    )


def analyse(url: str) -> None:
    """Refresh the query planner's statistics, as one does after a bulk load."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def bench_database(kind: str, url: str, duration: float, concurrency: int, reminders: bool = True) -> dict:
    print(f"[{kind}] preparing national-scale data…", flush=True)
    started_at = datetime.now(UTC)
    state = prepare(kind, url)
    load_before = load_average()
    analyse(url)
    action_id = first_action_id(url)
    targets = {
        "/healthz": "/healthz",
        "dashboard": "/",
        "action list (filtered)": f"/organisations/{BENCH_SLUG}/actions?status=in_progress&rag=red",
        "action page": f"/actions/{action_id}",
        "API actions": f"/api/v1/actions?organisation={BENCH_SLUG}&status=in_progress",
        "next meeting": f"/organisations/{BENCH_SLUG}/board/next-meeting",
        "themes": "/themes",
        # Signed in as the Youth Justice Board's oversight user: every organisation, one row each.
        "oversight comparison": {"path": "/oversight", "email": OVERSIGHT_USER, "password": state["password"]},
        "oversight CSV": {
            "path": "/oversight/organisations.csv",
            "email": OVERSIGHT_USER,
            "password": state["password"],
        },
    }
    modes = {}
    # As it runs in production (pages kept between changes), then with every page rendered afresh.
    for mode, cache_type in (("kept", "SimpleCache"), ("rendered", "NullCache")):
        print(f"[{kind}] serving with gunicorn (CACHE_TYPE={cache_type}) and measuring…", flush=True)
        server, base = serve(url, cache_type)
        try:
            load = subprocess.run(
                [
                    str(VENV_BIN / "python"),
                    str(ROOT / "bench" / "load.py"),
                    json.dumps(
                        {
                            "base": base,
                            "email": BENCH_USER,
                            "password": state["password"],
                            "token": state["token"],
                            "targets": targets,
                            "duration": duration,
                            "concurrency": concurrency,
                        }
                    ),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            modes[mode] = json.loads(load.stdout)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"[{kind}] counting queries per page…", flush=True)
    queries = run_python(
        "query_counts.py",
        url,
        BENCH_USER,
        state["password"],
        BENCH_SLUG,
        str(action_id),
        state["token"],
        OVERSIGHT_USER,
    )
    result = {
        "counts": counts(url),
        "seed_seconds": state.get("seed_seconds"),
        "pages": modes["kept"],
        "pages_rendered": modes["rendered"],
        "queries": queries,
        "load_before": load_before,
        "load_after_pages": load_average(),
        "started_at": f"{started_at:%Y-%m-%d %H:%M}",
    }
    if reminders:
        print(f"[{kind}] one reminder run over every action…", flush=True)
        today = date.today()
        # The first run after loading the data (everything due at once), then the next day's run.
        result["reminders"] = run_python(
            "reminder_run.py", url, today.isoformat(), (today + timedelta(days=1)).isoformat()
        )
        result["load_after_reminders"] = load_average()
    result["finished_at"] = f"{datetime.now(UTC):%H:%M}"
    return result


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1048576:.0f} GiB memory; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


def write_report(results: dict, small_queries: dict, duration: float, concurrency: int) -> None:
    preamble = [
        "# Benchmarks",
        "",
        f"Page figures measured {datetime.now(UTC):%Y-%m-%d} on: {machine()}. Each section says when it "
        "was measured and the load average (1, 5 and 15 minutes, as `uptime` shows it) before and after: the "
        "2 cores may be shared with other jobs, and figures taken under load are upper bounds.",
        "",
        "`make bench` reproduces this: bench/parse_bench.py, bench/scale_bench.py and bench/plan_bench.py each",
        'rewrite only their own sections of this file (bench/sections.py), and keep the others and any "###"',
        "notes written by hand inside them.",
        "",
        "The app is served by gunicorn with 2 sync workers; a load generator in",
        f"another process (bench/load.py) keeps {concurrency} keep-alive connections busy for {duration:g} s per",
        "page after a 1 s warm-up, signed in as the manager of one organisation (API calls use a bearer token).",
        "The oversight comparison and its CSV export are requested signed in as an oversight user of the Youth",
        "Justice Board (a 151st organisation, with no actions): one row for each of the 151 organisations.",
        "`/healthz` (one `SELECT 1`) is measured in the same run as the floor to compare against.",
        "",
        "Each page is measured twice. First as the tracker runs: rendered pages are kept (tracker/page_cache.py)",
        "until something they show changes, so repeated visits between changes are served from memory. Then with",
        "`CACHE_TYPE=NullCache`, every request rendered afresh: what the first visit after a change costs. The",
        "oversight comparison and its CSV are kept too, scoped to every organisation they show.",
    ]
    owned: dict[str, str] = {}
    for kind, result in results.items():
        heading = f"## {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}"
        data = result["counts"]
        loads = (
            f"Load average before: {result.get('load_before', '?')}; after the pages: "
            f"{result.get('load_after_pages', '?')}"
        )
        if result.get("load_after_reminders"):
            loads += f"; after the reminder runs: {result['load_after_reminders']}"
        lines = [
            f"Measured {result.get('started_at', '?')}–{result.get('finished_at', '?')} UTC. {loads}.",
            "",
            f"Data: {data.get('organisations', 0):,} organisations, {data.get('reports', 0):,} reports, "
            f"{data.get('actions', 0):,} actions, {data.get('updates', 0):,} updates"
            + (f" (seeded in {result['seed_seconds']} s)." if result.get("seed_seconds") else "."),
            "",
            "Pages kept between changes (as the tracker runs):",
            "",
            *_page_table(result["pages"], result["queries"]["kept"]),
            "",
            "Every request rendered afresh (`CACHE_TYPE=NullCache`):",
            "",
            *_page_table(result["pages_rendered"], result["queries"]["rendered"]),
        ]
        reminder = result.get("reminders", {"runs": []})
        if reminder["runs"]:
            lines += [
                "",
                "Reminder runs over every action (peak memory of the process: "
                f"{reminder['peak_memory_mb']} MB). Deciding and queueing covers all actions; delivery by SMTP "
                "to a server on loopback is timed over the first 2,000 emails of the run.",
                "",
                "| Day | Decide and queue (s) | Emails queued | Delivery rate (emails/s) | "
                "Time to deliver all queued (s) |",
                "|---|---:|---:|---:|---:|",
            ]
            for label, run in zip(("First run after loading the data", "The next day"), reminder["runs"], strict=False):
                lines.append(
                    f"| {label} ({run['today']}) | {run['queue_seconds']} | {run['queued']:,} | "
                    f"{run['emails_per_second']} | {run['all_delivered_seconds']} |"
                )
        else:
            lines += _earlier_reminders(heading)
        owned[heading] = "\n".join(lines)
    owned["## Against the targets"] = "\n".join(_verdicts(results))
    national = next(iter(results.values()))["queries"] if results else {"rendered": {}, "kept": {}}
    lines = [
        "| Page | Small database (3 organisations and the YJB, 23 actions): rendered / kept "
        "| National scale: rendered / kept |",
        "|---|---:|---:|",
    ]
    for name, small in small_queries["rendered"].items():
        lines.append(
            f"| {name} | {small} / {small_queries['kept'][name]} | "
            f"{national['rendered'].get(name, '')} / {national['kept'].get(name, '')} |"
        )
    lines += [
        "",
        "A page runs a few more statements when its lists have rows than when they are empty (each eager load",
        "runs only for rows it has to fill); on the small database some of the dashboard's lists are empty.",
        "`tests/web/test_query_counts.py` compares pages whose lists are filled, at 2 and at 50 actions, and",
        "finds the same number of statements; tests/web/test_oversight.py does the same for the oversight",
        "comparison as organisations are added.",
    ]
    owned["## SQL queries per page as data grows"] = "\n".join(lines)
    print(write_sections(owned, preamble="\n".join(preamble), first=True))


def _earlier_reminders(heading: str) -> list[str]:
    """With --no-reminders, the reminder figures already in the file are kept, marked with their date."""
    body = section(heading)
    start = body.find("Reminder runs over every action")
    if start < 0:
        return ["", "Reminder runs: not measured (`--no-reminders`)."]
    note = next((line for line in body.splitlines() if line.startswith("Reminder runs were not re-run")), None)
    if note is None:
        measured = _measured_date(body) or _measured_date(split(_current_text())[0]) or "an earlier run"
        note = (
            f"Reminder runs were not re-run (`--no-reminders`); the figures below are from {measured}, "
            "with the code and data of that day."
        )
    return ["", note, "", body[start:].strip("\n")]


def _current_text() -> str:
    path = ROOT / "BENCHMARKS.md"
    return path.read_text() if path.exists() else ""


def _measured_date(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("Measured "):
            return line.removeprefix("Measured ").split(" UTC")[0] + " UTC"
    return None


def _page_table(pages: dict, queries: dict) -> list[str]:
    lines = [
        "| Page | Median (ms) | p95 (ms) | Throughput (req/s) | Share of /healthz throughput | SQL queries |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    floor = pages["/healthz"]["throughput_rps"]
    for name, page in pages.items():
        share = f"{page['throughput_rps'] / floor:.0%}" if floor else "n/a"
        errors = f" ({page['errors']} errors)" if page["errors"] else ""
        lines.append(
            f"| {name} `{page['path']}` | {page['median_ms']} | {page['p95_ms']} | "
            f"{page['throughput_rps']}{errors} | {share} | {queries.get(name, 1 if name == '/healthz' else '')} |"
        )
    return lines


def _verdicts(results: dict) -> list[str]:
    """Each target of issue 7 against what was measured, said plainly."""
    lines = []
    for kind, result in results.items():
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        for mode, label in (("pages", "kept between changes"), ("pages_rendered", "rendered afresh every time")):
            pages = {page: values for page, values in result[mode].items() if page != "/healthz"}
            floor = result[mode]["/healthz"]["throughput_rps"]
            slowest = max(pages.items(), key=lambda item: item[1]["p95_ms"])
            weakest = min(pages.items(), key=lambda item: item[1]["throughput_rps"])
            share = weakest[1]["throughput_rps"] / floor
            lines.append(
                f"- {name}, pages {label}: p95 under 100 ms for every page: "
                f"{'yes' if slowest[1]['p95_ms'] < 100 else 'no'} (slowest: {slowest[0]}, "
                f"{slowest[1]['p95_ms']} ms); throughput of every page at least a quarter of /healthz's: "
                f"{'yes' if share >= 0.25 else 'no'} (lowest: {weakest[0]}, {share:.0%})."
            )
        oversight = [
            (label, result[mode].get("oversight comparison"), result[mode]["/healthz"]["throughput_rps"])
            for mode, label in (("pages", "kept"), ("pages_rendered", "rendered"))
        ]
        if all(page for _, page, _ in oversight):
            # Judged like every other page: as the tracker runs, kept between changes (the first row).
            _, kept, floor = oversight[0]
            within = kept["p95_ms"] < 100 and kept["throughput_rps"] / floor >= 0.25
            figures = "; ".join(
                f"{label} run: median {page['median_ms']} ms, p95 {page['p95_ms']} ms, "
                f"{page['throughput_rps'] / floor:.0%} of /healthz's throughput"
                for label, page, floor in oversight
            )
            lines.append(
                f"- {name}, the oversight comparison of {result['counts'].get('organisations', 0)} "
                f"organisations (issue 14), kept between changes as the tracker runs: within the page targets "
                f"(p95 under 100 ms, throughput at least a quarter of /healthz's): "
                f"{'yes' if within else 'no'} ({figures})."
            )
        runs = result.get("reminders", {}).get("runs", [])
        if len(runs) == 2:
            lines.append(
                f"- {name}: a reminder run (deciding and queueing over every action) under 10 s: "
                f"{'yes' if runs[1]['queue_seconds'] < 10 else 'no'} for a day's run "
                f"({runs[1]['queue_seconds']} s); the first run after loading the data, when everything "
                f"is due at once, takes {runs[0]['queue_seconds']} s."
            )
        if not runs:
            lines.append(
                f"- {name}: reminder runs not re-run this time (`--no-reminders`); see the earlier "
                "figures in its section."
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-reminders", action="store_true", help="Measure pages only (quicker).")
    parser.add_argument("--json", help="Also write the raw results to this file.")
    parser.add_argument("--from-json", help="Write BENCHMARKS.md from results saved by --json; measure nothing.")
    options = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if options.from_json:
        results = json.loads(Path(options.from_json).read_text())
        write_report(results, small_database_query_counts(), options.duration, options.concurrency)
        return
    results = {}
    for kind in options.databases.split(","):
        if kind == "postgresql" and not postgres_available():
            print("PostgreSQL is not answering on 127.0.0.1:5432; skipping it.", flush=True)
            continue
        url = f"sqlite:///{WORK / 'national.sqlite3'}" if kind == "sqlite" else POSTGRES_BENCH
        results[kind] = bench_database(
            kind, url, options.duration, options.concurrency, reminders=not options.no_reminders
        )
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2))
    print("Counting queries on a small database…", flush=True)
    write_report(results, small_database_query_counts(), options.duration, options.concurrency)


if __name__ == "__main__":
    main()
