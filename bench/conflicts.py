"""Benchmark: the conflict engine (sweep line, shared expansion) against a naive pairwise loop.

    python bench/conflicts.py --campaigns 2000 --days 28
    python bench/conflicts.py --campaigns 10000 --days 90 --pairwise-sample 1000

Builds a deterministic, realistic campaign set (mixed zones, crons and durations, 20 pools, shared contact
lists), times the engine including window expansion, times the pairwise reference within each pool and contact
list on the same windows, checks that both agree, times what-if previews of single drafts, and prints one JSON
line: {"campaigns", "windows", "engine_s", "pairwise_s", "ratio", "whatif_p50_ms", "peak_rss_mb"}.

At 10 000 campaigns the pairwise loop takes over ten minutes: `--pairwise-sample N` times it (and checks the
engine against it) on N of the campaigns only, and scales that time by the quadratic work, the sum over groups
of (windows in the group)², of the whole set against the sample. It is printed as "pairwise_estimated_s" with
"pairwise_estimate": true (the ratio then uses the estimate).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaigns.scheduling import CampaignLoad, ConflictIndex, find_conflicts  # noqa: E402
from campaigns.scheduling.conflicts import CAPACITY, CONTACT_LIST, ExpansionCache  # noqa: E402
from campaigns.scheduling.pairwise import pairwise_conflicts  # noqa: E402
from campaigns.scheduling.windows import clear_expansion_caches  # noqa: E402

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Toronto",
    "America/Halifax",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Pacific/Honolulu",
]
CRONS = [
    "0 9 * * 1-5",
    "30 8 * * 1-5",
    "0 10 * * 1-6",
    "0 12 * * 1-5",
    "0 14 * * 1-5",
    "0 9,14 * * 1-5",
    "0 17 * * 1-5",
    "0 10 * * 6,0",
    "30 9 * * 1-5",
    "0 8 * * 1-5",
    "0 18 * * 1-4",
    "0 11 * * *",
    "15 13 * * 2,4",
    "0 8,12,16 * * 1-5",
]
DURATIONS = [60, 90, 120, 180, 240, 360, 480]
POOLS = 20


def build(
    campaign_count: int, start: datetime, days: int, seed: int
) -> tuple[dict[str, int], list[CampaignLoad]]:
    rng = random.Random(seed)
    pool_ids = [f"P-{n:02d}" for n in range(POOLS)]
    lists = [f"L-{n:04d}" for n in range(max(1, campaign_count // 2))]  # about two campaigns per list
    campaigns = []
    for n in range(campaign_count):
        effective_start = effective_end = None
        if rng.random() < 0.2:
            effective_start = start + timedelta(days=rng.randrange(0, days // 2 + 1))
            effective_end = effective_start + timedelta(days=rng.randrange(7, days + 1))
        campaigns.append(
            CampaignLoad(
                id=f"C-{n:05d}",
                cron_expression=rng.choice(CRONS),
                timezone=rng.choice(ZONES),
                duration_minutes=rng.choice(DURATIONS),
                pool=rng.choice(pool_ids),
                agents=rng.randint(2, 20),
                contact_list=rng.choice(lists) if rng.random() < 0.85 else None,
                effective_start=effective_start,
                effective_end=effective_end,
            )
        )
    # Staffing as a planner would set it: about a third of the pool's summed agents, which covers most hours
    # (peaks reach 25-40 % of the sum, campaigns being spread over zones and day parts) but not every peak.
    pools = {
        pool: max(5, round(sum(c.agents for c in campaigns if c.pool == pool) * rng.uniform(0.28, 0.36)))
        for pool in pool_ids
    }
    return pools, campaigns


def draft_of(campaign: CampaignLoad, rng: random.Random) -> CampaignLoad:
    """A keystroke's worth of change: another hour, duration, agent count or pool."""
    change = rng.randrange(4)
    if change == 0:
        minute, hour, *rest = campaign.cron_expression.split()
        return replace(campaign, cron_expression=" ".join([minute, str(rng.randint(7, 19)), *rest]))
    if change == 1:
        return replace(campaign, duration_minutes=rng.choice(DURATIONS))
    if change == 2:
        return replace(campaign, agents=rng.randint(1, 30))
    return replace(campaign, pool=f"P-{rng.randrange(POOLS):02d}")


def quadratic_work(campaigns: list[CampaignLoad], windows: dict[str, tuple]) -> int:
    """What the pairwise loop's time grows with: the windows of each pool and list, squared, summed."""
    per_group: dict[tuple[str, str], int] = {}
    for campaign in campaigns:
        for key in ((CAPACITY, campaign.pool), (CONTACT_LIST, campaign.contact_list)):
            if key[1]:
                per_group[key] = per_group.get(key, 0) + len(windows[campaign.id])
    return sum(count * count for count in per_group.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=2000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--whatif-samples", type=int, default=200)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="time engine and pairwise this many times each and keep the best",
    )
    parser.add_argument(
        "--pairwise-sample",
        type=int,
        default=0,
        help="time the pairwise loop on this many campaigns only and scale it (an estimate)",
    )
    args = parser.parse_args(argv)

    start = datetime(2026, 3, 2, tzinfo=UTC)  # spans the US (Mar 8) and EU (Mar 29) clock changes
    end = start + timedelta(days=args.days)
    pools, campaigns = build(args.campaigns, start, args.days, args.seed)

    # Best of --repeat runs for both sides: the least disturbed by whatever else the machine is doing.
    engine_s = pairwise_s = float("inf")
    for _ in range(max(args.repeat, 1)):
        clear_expansion_caches()  # the engine's time includes expanding every window, from cold
        began = time.perf_counter()
        engine = find_conflicts(pools, campaigns, start, end)
        engine_s = min(engine_s, time.perf_counter() - began)

    expansion = ExpansionCache(start, end)
    windows = {campaign.id: expansion.windows(campaign) for campaign in campaigns}
    sampled = campaigns
    if args.pairwise_sample and args.pairwise_sample < len(campaigns):
        sampled = random.Random(args.seed + 2).sample(campaigns, args.pairwise_sample)
        engine = find_conflicts(pools, sampled, start, end)  # the check below is on the sample
    for _ in range(max(args.repeat, 1)):
        began = time.perf_counter()
        reference = pairwise_conflicts(pools, sampled, windows)
        pairwise_s = min(pairwise_s, time.perf_counter() - began)
    if engine != reference:
        print(f"engine and pairwise disagree: {len(engine)} vs {len(reference)} conflicts", file=sys.stderr)
        return 1
    estimated = sampled is not campaigns
    if estimated:
        pairwise_s *= quadratic_work(campaigns, windows) / quadratic_work(sampled, windows)

    index = ConflictIndex(pools, campaigns, start, end)
    rng = random.Random(args.seed + 1)
    timings = []
    for _ in range(args.whatif_samples):
        draft = draft_of(rng.choice(campaigns), rng)
        began = time.perf_counter()
        index.what_if(draft)
        timings.append((time.perf_counter() - began) * 1000)

    result = {
        "campaigns": len(campaigns),
        "windows": sum(len(w) for w in windows.values()),
        "engine_s": round(engine_s, 3),
        ("pairwise_estimated_s" if estimated else "pairwise_s"): round(pairwise_s, 3),
        "ratio": round(pairwise_s / engine_s, 1),
        "whatif_p50_ms": round(statistics.median(timings), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if estimated:
        result["pairwise_estimate"] = True
        result["pairwise_sample"] = len(sampled)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
