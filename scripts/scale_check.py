"""Checks a running scale-out topology (scripts/scale) from outside, as an operator would, and exits 1 on the
first thing that is not right. Used by .ci/run.

    python scripts/scale_check.py http://127.0.0.1:8000 --token "$METRICS_TOKEN" [--workers 4] [--wait 120]

- /healthz: database and broker up, at least --workers live qcluster workers (two clusters), the start-up sync done;
- /metrics: readable with the token (403 without), CXone requests counted by the workers that synced;
- /login/: served by gunicorn with the Content-Security-Policy and a request id.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request


def get(url: str, token: str | None = None) -> tuple[int, dict, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http(s) URLs we were given)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (our own loopback URL)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def wait_for(what: str, check, seconds: float):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except (OSError, ValueError) as exc:
            result, last = None, exc
        if result:
            print(f"scale-check: {what}: ok", file=sys.stderr)
            return result
        time.sleep(1)
    raise SystemExit(f"scale-check: {what}: not within {seconds:g} s (last: {last})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--token", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--wait", type=float, default=120)
    args = parser.parse_args()
    base = args.base.rstrip("/")

    def health():
        status, _, body = get(f"{base}/healthz")
        found = json.loads(body)
        cluster = found.get("cluster") or {}
        if status == 200 and cluster.get("workers", 0) >= args.workers and cluster.get("clusters", 0) >= 2:
            return found
        return None

    found = wait_for(f"/healthz with {args.workers} live workers in 2+ clusters", health, args.wait)
    wait_for(
        "the start-up sync",
        lambda: json.loads(get(f"{base}/healthz")[2])["sync"]["last_success_at"],
        args.wait,
    )
    if get(f"{base}/metrics")[0] != 403:
        raise SystemExit("scale-check: /metrics answered without the token")

    def counted():
        status, _, body = get(f"{base}/metrics", args.token)
        if status != 200:
            return None
        lines = [line for line in body.splitlines() if line.startswith('planner_cxone_requests_total{status="200"}')]
        return lines and float(lines[0].split()[-1]) > 0 and body

    body = wait_for("/metrics counting the workers' CXone requests", counted, 60)
    status, headers, _ = get(f"{base}/login/")
    csp = {k.lower(): v for k, v in headers.items()}.get("content-security-policy", "")
    if status != 200 or "script-src 'self'" not in csp:
        raise SystemExit(f"scale-check: /login/ answered {status} with CSP {csp!r}")
    print(
        json.dumps(
            {
                "cluster": found["cluster"],
                "metrics": {
                    line.split()[0]: float(line.split()[-1])
                    for line in body.splitlines()
                    if line.startswith(("planner_cluster_workers", "planner_cxone_requests_total", "planner_queue"))
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
