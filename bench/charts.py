"""Benchmark: the timeline of 2,000 campaigns over 7 days, as the page builds and draws it.

    python bench/charts.py --campaigns 2000 --days 7

Builds the same deterministic campaign set as bench/conflicts.py, then times what the Timeline view does after
its query: expand every window, find the conflicts, build the plotly figure (best of --repeat runs, expansion
from cold). serialise_ms is plotly turning that figure into the JSON the page embeds (Chart.page_figure, best
of --repeat); the payload is that JSON, raw and gzipped; browser_render_ms is JSON.parse + Plotly.newPlot in
Chromium with the vendored bundle. Past MAX_BARS windows the page draws each pool's busy hours (it aggregates),
so the line also measures the full one-bar-per-window figure ("full_*").
Prints one JSON line: {"bars", "build_ms", "serialise_ms", "payload_kb", "payload_gz_kb", "browser_render_ms",
"aggregated", "full_bars", "full_build_ms", "full_serialise_ms", "full_payload_gz_kb", "full_render_ms"}.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conflicts import build  # noqa: E402
from campaigns.charts.common import clear_caches  # noqa: E402
from campaigns.charts.timeline import MAX_BARS, TimelineCampaign, TimelinePool, timeline_chart  # noqa: E402
from campaigns.scheduling import ConflictIndex  # noqa: E402
from campaigns.scheduling.conflicts import ExpansionCache  # noqa: E402
from campaigns.scheduling.windows import clear_expansion_caches  # noqa: E402

PLOTLY = ROOT / "static" / "vendor" / "plotly" / "plotly-cartesian-4.1.1.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def timeline(pools, loads, start, end, max_bars):
    index = ConflictIndex(pools, loads, start - timedelta(days=1), end)
    expansion = ExpansionCache(start - timedelta(days=1), end)
    start_ts = int(start.timestamp())
    campaigns = [
        TimelineCampaign(
            c.id,
            f"Campaign {c.id}",
            c.pool,
            c.timezone,
            c.agents,
            f"/campaigns/{n}/",
            tuple(w for w in expansion.windows(c) if w[1] > start_ts),
        )
        for n, c in enumerate(loads)
    ]
    pool_info = {key: TimelinePool(key, f"Pool {key}", agents, f"?pool={key}") for key, agents in pools.items()}
    return timeline_chart(
        campaigns,
        [c for c in index.conflicts if c.end > start],
        pool_info,
        start_ts=start_ts,
        end_ts=int(end.timestamp()),
        display_zone="America/Chicago",
        max_bars=max_bars,
    )


def timed(pools, loads, start, end, max_bars, repeat):
    best, chart = float("inf"), None
    for _ in range(max(repeat, 1)):
        clear_expansion_caches()
        clear_caches()  # and the charts' formatted instants: every run from cold
        began = time.perf_counter()
        chart = timeline(pools, loads, start, end, max_bars)
        best = min(best, time.perf_counter() - began)
    return chart, best * 1000


def serialised(chart, repeat) -> tuple[str, float]:
    """The page's figure JSON and the best time plotly took to make it (the chart keeps it once made)."""
    best = float("inf")
    for _ in range(max(repeat, 1)):
        with contextlib.suppress(AttributeError):
            del chart.page_figure  # a cached property: made afresh on each run
        began = time.perf_counter()
        figure = chart.page_figure
        best = min(best, time.perf_counter() - began)
    return json.dumps(figure, separators=(",", ":")), best * 1000


def bars(figure) -> int:
    return sum(len(t["base"]) for t in figure["data"] if t.get("type") == "bar" and t["name"] != "rows")


def render_ms(payloads: list[str]) -> list[float]:
    """JSON.parse + Plotly.newPlot of each payload in Chromium, 1280 px wide (best of two)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content("<html><body><div id='plot' style='width:1240px'></div></body></html>")
        page.add_script_tag(path=str(PLOTLY))
        for payload in payloads:
            times = page.evaluate(
                """async (payload) => {
                    const runs = [];
                    for (let i = 0; i < 2; i++) {
                        Plotly.purge('plot');
                        const began = performance.now();
                        const figure = JSON.parse(payload);
                        await Plotly.newPlot('plot', figure.data, figure.layout, figure.config);
                        await new Promise(r => requestAnimationFrame(() => r()));
                        runs.push(performance.now() - began);
                    }
                    return runs;
                }""",
                payload,
            )
            results.append(min(times))
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=2000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    start = datetime(2026, 3, 6, 6, tzinfo=UTC)  # midnight in Chicago, across the US spring-forward Sunday
    end = start + timedelta(days=args.days)
    pools, loads = build(args.campaigns, start, args.days, args.seed)

    page_chart, page_ms = timed(pools, loads, start, end, MAX_BARS, args.repeat)
    full_chart, full_ms = timed(pools, loads, start, end, 10**9, args.repeat)
    page_payload, page_serialise_ms = serialised(page_chart, args.repeat)
    full_payload, full_serialise_ms = serialised(full_chart, args.repeat)
    page_render, full_render = render_ms([page_payload, full_payload])
    print(
        json.dumps(
            {
                "bars": bars(page_chart.page_figure),
                "build_ms": round(page_ms, 1),
                "serialise_ms": round(page_serialise_ms, 1),
                "payload_kb": round(len(page_payload.encode()) / 1024, 1),
                "payload_gz_kb": round(len(gzip.compress(page_payload.encode())) / 1024, 1),
                "browser_render_ms": round(page_render, 1),
                "aggregated": bars(full_chart.page_figure) > MAX_BARS,
                "full_bars": bars(full_chart.page_figure),
                "full_build_ms": round(full_ms, 1),
                "full_serialise_ms": round(full_serialise_ms, 1),
                "full_payload_gz_kb": round(len(gzip.compress(full_payload.encode())) / 1024, 1),
                "full_render_ms": round(full_render, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
