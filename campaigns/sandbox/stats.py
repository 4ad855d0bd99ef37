"""What really happened on the wire, for tests and benchmarks (GET /_sandbox/stats)."""

from __future__ import annotations

from collections import Counter, defaultdict


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        # "GET /api/v2/outbound/campaigns/{id}" → {"200": 12, "429": 3, "dropped": 1}
        self.requests: defaultdict[str, Counter] = defaultdict(Counter)
        # Requests that reached the sandbox, by route, counted on arrival (before any added latency): a test can
        # wait for "the request is on the wire" and then for its answer (requests) instead of sleeping.
        self.received: Counter = Counter()
        self.puts: Counter = Counter()  # PUTs accepted (200) per campaign
        self.activations: defaultdict[str, list[dict]] = defaultdict(list)
        # campaign (or skill) id → [{"state": "PAUSED" | "ACTIVE", "at": clock seconds}]: each pause, resume, stop
        # and start as it took, so a benchmark can tell a campaign that was started again after its stop.
        self.dialling: defaultdict[str, list[dict]] = defaultdict(list)
        self.tokens_issued = 0
        self.wfm: Counter = Counter()  # the WFM stand-in: received, duplicates, bad_signatures, ...

    WFM_COUNTS = ("received", "duplicates", "bad_signatures", "stale_timestamps", "malformed", "dropped")

    def wfm_counts(self) -> dict[str, int]:
        counts = {name: self.wfm[name] for name in self.WFM_COUNTS}
        counts.update({name: n for name, n in sorted(self.wfm.items()) if name.startswith("answered_")})
        return counts

    def record_request(self, route: str, outcome: int | str) -> None:
        self.requests[route][str(outcome)] += 1

    def count(self, route: str, outcome: int | str | None = None) -> int:
        counter = self.requests.get(route, Counter())
        return counter[str(outcome)] if outcome is not None else sum(counter.values())

    def record_activation(
        self, campaign_id: str, version: int, outcome: str, put_at: str, ended_at: str
    ) -> None:
        self.activations[campaign_id].append(
            {"version": version, "outcome": outcome, "putAt": put_at, "endedAt": ended_at}
        )

    def record_dialling(self, campaign_id: str, state: str, at: float) -> None:
        self.dialling[campaign_id].append({"state": state, "at": at})

    def as_dict(self) -> dict:
        became_active = {
            campaign_id: [entry["endedAt"] for entry in entries if entry["outcome"] == "ACTIVE"][-1]
            for campaign_id, entries in self.activations.items()
            if any(entry["outcome"] == "ACTIVE" for entry in entries)
        }
        return {
            "requests": {route: dict(counter) for route, counter in sorted(self.requests.items())},
            "totalRequests": sum(sum(counter.values()) for counter in self.requests.values()),
            "tokensIssued": self.tokens_issued,
            "putsPerCampaign": dict(self.puts),
            "activations": {campaign_id: list(entries) for campaign_id, entries in self.activations.items()},
            "becameActive": became_active,
            "wfm": self.wfm_counts(),
            "dialling": {campaign_id: list(entries) for campaign_id, entries in self.dialling.items()},
        }
