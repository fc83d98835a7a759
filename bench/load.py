"""Load generator, run as its own process by bench/scale_bench.py.

Signs in like a browser, then for each target keeps CONCURRENCY keep-alive connections busy
for DURATION seconds and reports median and p95 latency and throughput. Standard library
only, so it measures the server rather than a client library.

    python bench/load.py '{"base": "http://127.0.0.1:8123", "email": ..., "password": ..., "token": ...,
                           "targets": {"name": "/path", ...}, "duration": 10, "concurrency": 4}'

A target may also be {"path": "/path", "email": ..., "password": ...}, to request it signed in as
someone else (the oversight user).
"""

from __future__ import annotations

import http.client
import json
import re
import statistics
import sys
import threading
import time
import urllib.parse


def sign_in(host: str, port: int, email: str, password: str) -> str:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/sign-in")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    connection.request(
        "POST", "/sign-in", body=body, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"sign-in failed: {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


def hammer(host: str, port: int, path: str, headers: dict, duration: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        mine, bad = [], []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            (mine if status == 200 else bad).append(elapsed if status == 200 else status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_statuses": sorted(set(errors))[:5],
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1) if latencies else None,
        "throughput_rps": round(len(latencies) / wall, 1),
    }


def main() -> None:
    config = json.loads(sys.argv[1])
    url = urllib.parse.urlsplit(config["base"])
    cookies = {config["email"]: sign_in(url.hostname, url.port, config["email"], config["password"])}
    results = {}
    for name, target in config["targets"].items():
        if isinstance(target, dict):
            email = target["email"]
            if email not in cookies:
                cookies[email] = sign_in(url.hostname, url.port, email, target["password"])
            cookie, target = cookies[email], target["path"]
        else:
            cookie = cookies[config["email"]]
        headers = {"Authorization": f"Bearer {config['token']}"} if target.startswith("/api/") else {"Cookie": cookie}
        # A short warm-up so each worker's first-request costs are not counted.
        hammer(url.hostname, url.port, target, headers, 1.0, config["concurrency"])
        results[name] = {
            "path": target,
            **hammer(url.hostname, url.port, target, headers, config["duration"], config["concurrency"]),
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
