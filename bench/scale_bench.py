"""National-scale benchmark: seed, serve with gunicorn, load from another process, measure.

For each database (SQLite, and PostgreSQL when it answers on 127.0.0.1:5432):
  1. seed 150 organisations, ~10,000 reports, ~100,000 actions and ~500,000 updates
     (kept between runs in instance/bench/ or the tracker_bench database; reseeded if absent);
  2. serve the app with gunicorn (2 workers) and measure median, p95 and throughput of the
     dashboard, a filtered action list, an action page and GET /api/v1/actions, beside
     /healthz in the same run, from a load generator in another process (bench/load.py);
  3. time one reminder run over every action, and its peak memory (bench/reminder_run.py);
  4. count SQL statements per page at national scale and on a small database.
Writes BENCHMARKS.md.

    python bench/scale_bench.py [--databases sqlite,postgresql] [--duration 10] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "instance" / "bench"
SCALE = {"organisations": 150, "reports": 68, "actions_per_report": 10, "updates_per_action": 5}
BENCH_USER = "manager@service-0002.example"
BENCH_SLUG = "service-0002"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH = "postgresql://postgres@127.0.0.1:5432/tracker_bench"


def flask(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "development"}
    result = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr}")
    return result


def counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                    for table in ("organisations", "reports", "actions", "updates")}
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
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'tracker_bench'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE tracker_bench")
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
        return state
    reset(kind, url)
    flask(url, "db", "upgrade")
    started = time.perf_counter()
    seeded = flask(url, "tracker", "seed-demo", "--organisations", str(SCALE["organisations"]),
                   "--reports", str(SCALE["reports"]), "--actions-per-report", str(SCALE["actions_per_report"]),
                   "--updates-per-action", str(SCALE["updates_per_action"]),
                   "--credentials-file", str(WORK / f"{kind}-sign-in.txt"))
    seed_seconds = round(time.perf_counter() - started, 1)
    password = seeded.stdout.split("password for every demo user: ")[1].split(")")[0]
    token = flask(url, "tracker", "create-token", BENCH_USER, "--name", "benchmark").stdout.strip()
    state = {"password": password, "token": token, "seed_seconds": seed_seconds}
    state_file.write_text(json.dumps(state))
    return state


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, cache_type: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "production", "SECRET_KEY": "benchmark-" + "x" * 40,
           "SESSION_COOKIE_SECURE": "0", "BASE_URL": f"http://127.0.0.1:{port}", "CACHE_TYPE": cache_type}
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
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
        action_id = connection.execute(text(
            "SELECT actions.id FROM actions JOIN organisations ON organisations.id = actions.organisation_id "
            "WHERE organisations.slug = :slug ORDER BY actions.id LIMIT 1"), {"slug": BENCH_SLUG}).scalar()
    engine.dispose()
    return action_id


def run_python(script: str, url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "development"}
    result = subprocess.run([str(VENV_BIN / "python"), str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{script} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def small_database_query_counts() -> dict:
    """The same pages on a small database, to show queries per page do not grow with data."""
    url = f"sqlite:///{WORK / 'small.sqlite3'}"
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    flask(url, "db", "upgrade")
    seeded = flask(url, "tracker", "seed-demo", "--organisations", "3", "--reports", "2", "--actions-per-report", "3",
                   "--updates-per-action", "1", "--credentials-file", str(WORK / "small-sign-in.txt"))
    password = seeded.stdout.split("password for every demo user: ")[1].split(")")[0]
    token = flask(url, "tracker", "create-token", BENCH_USER).stdout.strip()
    return run_python("query_counts.py", url, BENCH_USER, password, BENCH_SLUG, str(first_action_id(url)), token)


def analyse(url: str) -> None:
    """Refresh the query planner's statistics, as one does after a bulk load."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def bench_database(kind: str, url: str, duration: float, concurrency: int, reminders: bool = True) -> dict:
    print(f"[{kind}] preparing national-scale data…", flush=True)
    state = prepare(kind, url)
    analyse(url)
    action_id = first_action_id(url)
    targets = {
        "/healthz": "/healthz",
        "dashboard": "/",
        "action list (filtered)": f"/organisations/{BENCH_SLUG}/actions?status=in_progress&rag=red",
        "action page": f"/actions/{action_id}",
        "API actions": f"/api/v1/actions?organisation={BENCH_SLUG}&status=in_progress",
    }
    modes = {}
    # As it runs in production (pages kept between changes), then with every page rendered afresh.
    for mode, cache_type in (("kept", "SimpleCache"), ("rendered", "NullCache")):
        print(f"[{kind}] serving with gunicorn (CACHE_TYPE={cache_type}) and measuring…", flush=True)
        server, base = serve(url, cache_type)
        try:
            load = subprocess.run([str(VENV_BIN / "python"), str(ROOT / "bench" / "load.py"), json.dumps({
                "base": base, "email": BENCH_USER, "password": state["password"], "token": state["token"],
                "targets": targets, "duration": duration, "concurrency": concurrency})],
                capture_output=True, text=True, check=True)
            modes[mode] = json.loads(load.stdout)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"[{kind}] counting queries per page…", flush=True)
    queries = run_python("query_counts.py", url, BENCH_USER, state["password"], BENCH_SLUG, str(action_id),
                         state["token"])
    result = {"counts": counts(url), "seed_seconds": state.get("seed_seconds"), "pages": modes["kept"],
              "pages_rendered": modes["rendered"], "queries": queries}
    if reminders:
        print(f"[{kind}] one reminder run over every action…", flush=True)
        today = date.today()
        # The first run after loading the data (everything due at once), then the next day's run.
        result["reminders"] = run_python("reminder_run.py", url, today.isoformat(),
                                         (today + timedelta(days=1)).isoformat())
    return result


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    return (f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1048576:.0f} GiB memory; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}")


def write_report(results: dict, small_queries: dict, duration: float, concurrency: int) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on: {machine()}.",
        "",
        "`make bench` reproduces this. The app is served by gunicorn with 2 sync workers; a load generator in",
        f"another process (bench/load.py) keeps {concurrency} keep-alive connections busy for {duration:g} s per",
        "page after a 1 s warm-up, signed in as the manager of one organisation (API calls use a bearer token).",
        "`/healthz` (one `SELECT 1`) is measured in the same run as the floor to compare against.",
        "",
        "Each page is measured twice. First as the tracker runs: rendered pages are kept (tracker/page_cache.py)",
        "until something they show changes, so repeated visits between changes are served from memory. Then with",
        "`CACHE_TYPE=NullCache`, every request rendered afresh: what the first visit after a change costs.",
        "",
    ]
    for kind, result in results.items():
        data = result["counts"]
        lines += [
            f"## {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}",
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
            lines += ["", "Reminder runs over every action (peak memory of the process: "
                      f"{reminder['peak_memory_mb']} MB). Deciding and queueing covers all actions; delivery by SMTP "
                      "to a server on loopback is timed over the first 2,000 emails of the run.", "",
                      "| Day | Decide and queue (s) | Emails queued | Delivery rate (emails/s) | "
                      "Time to deliver all queued (s) |", "|---|---:|---:|---:|---:|"]
        for label, run in zip(("First run after loading the data", "The next day"), reminder["runs"]):
            lines.append(f"| {label} ({run['today']}) | {run['queue_seconds']} | {run['queued']:,} | "
                         f"{run['emails_per_second']} | {run['all_delivered_seconds']} |")
        lines.append("")
    lines += _verdicts(results)
    lines += [
        "## SQL queries per page as data grows",
        "",
        "| Page | Small database (3 organisations, 23 actions): rendered / kept | National scale: rendered / kept |",
        "|---|---:|---:|",
    ]
    national = next(iter(results.values()))["queries"] if results else {"rendered": {}, "kept": {}}
    for name, small in small_queries["rendered"].items():
        lines.append(f"| {name} | {small} / {small_queries['kept'][name]} | "
                     f"{national['rendered'].get(name, '')} / {national['kept'].get(name, '')} |")
    lines += [
        "",
        "A page runs a few more statements when its lists have rows than when they are empty (each eager load",
        "runs only for rows it has to fill); on the small database some of the dashboard's lists are empty.",
        "`tests/web/test_query_counts.py` compares pages whose lists are filled, at 2 and at 50 actions, and",
        "finds the same number of statements.",
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _page_table(pages: dict, queries: dict) -> list[str]:
    lines = ["| Page | Median (ms) | p95 (ms) | Throughput (req/s) | Share of /healthz throughput | SQL queries |",
             "|---|---:|---:|---:|---:|---:|"]
    floor = pages["/healthz"]["throughput_rps"]
    for name, page in pages.items():
        share = f"{page['throughput_rps'] / floor:.0%}" if floor else "n/a"
        errors = f" ({page['errors']} errors)" if page["errors"] else ""
        lines.append(f"| {name} `{page['path']}` | {page['median_ms']} | {page['p95_ms']} | "
                     f"{page['throughput_rps']}{errors} | {share} | {queries.get(name, 1 if name == '/healthz' else '')} |")
    return lines


def _verdicts(results: dict) -> list[str]:
    """Each target of issue 7 against what was measured, said plainly."""
    lines = ["## Against the targets", ""]
    for kind, result in results.items():
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        for mode, label in (("pages", "kept between changes"), ("pages_rendered", "rendered afresh every time")):
            pages = {page: values for page, values in result[mode].items() if page != "/healthz"}
            floor = result[mode]["/healthz"]["throughput_rps"]
            slowest = max(pages.items(), key=lambda item: item[1]["p95_ms"])
            weakest = min(pages.items(), key=lambda item: item[1]["throughput_rps"])
            share = weakest[1]["throughput_rps"] / floor
            lines.append(f"- {name}, pages {label}: p95 under 100 ms for every page: "
                         f"{'yes' if slowest[1]['p95_ms'] < 100 else 'no'} (slowest: {slowest[0]}, "
                         f"{slowest[1]['p95_ms']} ms); throughput of every page at least a quarter of /healthz's: "
                         f"{'yes' if share >= 0.25 else 'no'} (lowest: {weakest[0]}, {share:.0%}).")
        runs = result.get("reminders", {}).get("runs", [])
        if len(runs) == 2:
            lines.append(f"- {name}: a reminder run (deciding and queueing over every action) under 10 s: "
                         f"{'yes' if runs[1]['queue_seconds'] < 10 else 'no'} for a day's run "
                         f"({runs[1]['queue_seconds']} s); the first run after loading the data, when everything "
                         f"is due at once, takes {runs[0]['queue_seconds']} s.")
    return lines + [""]


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
        results[kind] = bench_database(kind, url, options.duration, options.concurrency,
                                       reminders=not options.no_reminders)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2))
    print("Counting queries on a small database…", flush=True)
    write_report(results, small_database_query_counts(), options.duration, options.concurrency)


if __name__ == "__main__":
    main()
