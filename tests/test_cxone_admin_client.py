"""The Admin API backend against the sandbox's Admin personality in process, every request and answer held to
the contract (tests/admin_contract.py): discovery, access-key tokens, Personal Connection skills as campaigns
read from the combined parameters (one schedule item per weekday), the listing's one read of every skill's
parameters, 429s without Retry-After."""

from __future__ import annotations

import httpx
import pytest

from campaigns.cxone import admin_settings
from campaigns.cxone.admin_client import AdminClient
from campaigns.cxone.admin_mapping import skill_version
from campaigns.cxone.errors import InvalidCredentials, NotFound, SkillBusy
from campaigns.cxone.factory import run_sync
from campaigns.cxone.resilience import RetrySettings
from campaigns.sandbox import create_app
from campaigns.scheduling.weekly import WeeklySchedule
from tests.cxone_support import BASE_URL, FAST_RETRY, FakeClock, admin_asgi_client, admin_config

API = "/inContactAPI/services/{version}"


@pytest.fixture
def tenant():
    return create_app(admin_config(campaigns=8))


@pytest.fixture
def admin(tenant):
    client = admin_asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def requests_to(tenant, route: str) -> int:
    return tenant.state.stats.count(route)


def held_version(tenant, skill_id: str) -> int:
    week = WeeklySchedule.from_settings(tenant.state.pc.schedules[skill_id])
    return skill_version(week, admin_settings.held_retry_fields(tenant.state.pc.retry[skill_id]))


def test_it_discovers_the_api_from_the_tenant_id_in_the_id_token(tenant, admin):
    run_sync(admin.get_campaign("1001"))
    assert admin.tenant_id == "sandbox-tenant"
    assert requests_to(tenant, "GET /.well-known/cxone-configuration") == 1
    assert "/inContactAPI/services/v31.0" in repr(admin)


def test_a_wrong_access_key_is_invalid_credentials(tenant):
    client = AdminClient(BASE_URL, "demo", "demo-secret", "demo-key", "wrong", retry=FAST_RETRY,
                         transport=httpx.ASGITransport(app=tenant))  # fmt: skip
    with pytest.raises(InvalidCredentials, match="access key"):
        run_sync(client.get_campaign("1001"))


def test_an_aged_token_is_renewed_with_its_refresh_token(tenant):
    clock = FakeClock()
    client = admin_asgi_client(tenant, clock=clock, sleep=clock.sleep)
    run_sync(client.get_campaign("1001"))
    (first_refresh,) = tenant.state.refresh_tokens
    clock.now += 3600  # the token's hour has passed
    run_sync(client.get_campaign("1001"))
    assert client.transport.token_requests == 2
    assert first_refresh not in tenant.state.refresh_tokens  # spent: the refresh grant was used
    run_sync(client.aclose())


def test_only_personal_connection_skills_are_campaigns(tenant, admin):
    page = run_sync(admin.list_campaigns(top=100))
    assert page.total_records == 8 and "9001" not in {c.id for c in page.campaigns}
    with pytest.raises(NotFound):
        run_sync(admin.get_campaign("9002"))  # a Manual skill


def test_a_skill_reads_as_a_campaign_with_its_week_retry_policy_zone_dnc_group_and_calling_list(tenant, admin):
    campaign = run_sync(admin.get_campaign("1001"))
    week = WeeklySchedule.from_settings(tenant.state.pc.schedules["1001"])
    retry = tenant.state.pc.retry["1001"]
    assert campaign.version == held_version(tenant, "1001")
    assert campaign.schedule.timezone == "America/New_York"  # the business unit's default zone
    assert week.as_cron() == [(campaign.schedule.cron_expression, campaign.schedule.duration_minutes)]
    policy = campaign.schedule.retry_policy
    assert (policy.max_attempts, policy.retry_interval_ms) == (retry["maximumAttempts"],
                                                               retry["minimumRetryMinutes"] * 60_000)  # fmt: skip
    assert campaign.contact_list.id == str(tenant.state.pc.skill_lists["1001"][0])
    assert run_sync(admin.get_dnc_list(campaign.dnc_list_id)).state in ("ACTIVE", "INACTIVE")


def test_the_combined_read_gives_one_schedule_item_per_weekday_and_each_day_counts(tenant, admin):
    settings = tenant.state.pc.schedules["1001"]
    for day in ("sunday", "saturday"):  # a week with a different window at the weekend
        settings.update({f"{day}IsActive": True, f"{day}StartTime": "10:00", f"{day}EndTime": "14:00"})
    params = run_sync(admin.skill_parameters("1001"))
    assert [item["day"] for item in params["scheduleSettings"]["schedules"]] == [
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]  # fmt: skip
    campaign = run_sync(admin.get_campaign("1001"))
    # Read day by day, not as item 0 for the whole week: the weekend's window is not the weekdays'.
    assert campaign.schedule is None and campaign.errors[0]["code"] == "schedule.several_windows"
    assert "Weekends 10:00–14:00" in campaign.errors[0]["message"]


def test_zone_rows_named_name_or_standard_name_read_the_same(tenant, admin):
    named = run_sync(admin.get_campaign("1001"))
    tenant.state.config.update({"admin_zone_name_field": "standardName"})
    assert run_sync(admin.get_campaign("1001")).dnc_rules == named.dnc_rules
    assert {r.type for r in named.dnc_rules} >= {"FCC_MIN_TIME", "FCC_MAX_TIME"}


def test_the_groups_own_endpoints_read_the_same_schedule_and_retry_policy_flat_or_wrapped(tenant, admin):
    combined = run_sync(admin.get_campaign("1001"))
    for shape in ("flat", "wrapped"):
        tenant.state.config.update({"admin_retry_get": shape})
        own = admin_asgi_client(tenant, schedule_read="schedule-settings")
        campaign = run_sync(own.get_campaign("1001"))
        assert (campaign.version, campaign.schedule) == (combined.version, combined.schedule)
        run_sync(own.aclose())
    assert requests_to(tenant, f"GET {API}/skills/{{skill_id}}/parameters/retry-settings") == 2


def test_a_tenant_without_the_combined_read_is_read_through_the_groups_endpoints(tenant, admin):
    routes = [r for r in tenant.routes if not r.path.endswith("/{skill_id}/parameters")]
    tenant.routes[:] = routes
    tenant.app.router.routes[:] = [r for r in tenant.app.router.routes if r in routes]
    campaign = run_sync(admin.get_campaign("1001"))
    assert campaign.schedule is not None and campaign.schedule.retry_policy is not None
    assert requests_to(tenant, "unmatched") == 1  # the combined read: 404
    assert requests_to(tenant, f"GET {API}/skills/{{skill_id}}/parameters/schedule-settings") == 1


def test_a_stopped_skill_starts_after_a_moment_and_starting_a_running_one_leaves_it_running(tenant, admin):
    run_sync(admin.stop_skill("1001"))
    assert run_sync(admin.get_campaign("1001")).state == "PAUSED"
    run_sync(admin.stop_skill("1001"))  # not running: 404, and nothing to do
    run_sync(admin.start_skill("1001"))
    with pytest.raises(SkillBusy):  # still starting: a second start is refused ("Invalid state")
        run_sync(admin.start_skill("1001"))
    tenant.state.clock.advance(2)
    run_sync(admin.start_skill("1001"))  # running: the 409 is no failure
    assert run_sync(admin.get_campaign("1001")).state == "ACTIVE"


def test_the_failure_knob_makes_a_started_skill_never_run(tenant, admin):
    tenant.state.config.update({"failure_rate": 1.0})
    run_sync(admin.stop_skill("1001"))
    run_sync(admin.start_skill("1001"))
    tenant.state.clock.advance(2)
    assert run_sync(admin.get_campaign("1001")).state == "PAUSED"


def test_a_listing_reads_every_skills_parameters_in_one_request_and_pages_from_that_read(tenant, admin):
    first = run_sync(admin.list_campaigns(skip=0, top=5))
    second = run_sync(admin.list_campaigns(skip=5, top=5))
    assert (len(first.campaigns), len(second.campaigns), first.total_records) == (5, 3, 8)
    assert "next" in first.links and "next" not in second.links
    assert first.last_poll_time and first.last_poll_time.endswith("Z")
    assert requests_to(tenant, f"GET {API}/skills/parameters") == 1
    assert requests_to(tenant, f"GET {API}/skills/{{skill_id}}/parameters") == 0  # never two reads per skill
    assert requests_to(tenant, f"GET {API}/skills") == 1


def test_what_changed_since_a_listing_costs_one_request_when_nothing_did(tenant, admin):
    poll = run_sync(admin.list_campaigns(top=100)).last_poll_time
    tenant.state.stats.reset()
    nothing = run_sync(admin.changed_campaigns(poll))
    assert (nothing.campaigns, nothing.gone) == ([], [])
    assert tenant.state.stats.as_dict()["totalRequests"] == 1

    tenant.state.clock.advance(1)
    for skill_id in ("1002", "1004"):
        tenant.state.pc.touched(skill_id, tenant.state.now_iso())
    tenant.state.pc.skills["9002"]["lastUpdateTime"] = tenant.state.now_iso()  # a Manual skill changed too
    changed = run_sync(admin.changed_campaigns(nothing.last_poll_time, dnc_lists={"1002": "3"}))
    assert sorted(c.id for c in changed.campaigns) == ["1002", "1004"] and changed.gone == ["9002"]
    assert next(c for c in changed.campaigns if c.id == "1002").dnc_list_id == "3"  # kept from the mirror


class RecordingLimit:
    """A shared rate limit that lets everything through at once and remembers every hold."""

    def __init__(self) -> None:
        self.holds: list[float] = []

    async def acquire(self, budget: float | None = None) -> None:
        return None

    async def hold(self, seconds: float) -> None:
        self.holds.append(seconds)


def test_a_429_without_retry_after_is_backed_off_on_our_own_and_holds_the_shared_limit(tenant):
    clock = FakeClock()
    shared = RecordingLimit()

    async def sleep(seconds: float) -> None:  # our waits pass on the sandbox's clock too
        await clock.sleep(seconds)
        tenant.state.clock.advance(seconds)

    client = admin_asgi_client(tenant, clock=clock, sleep=sleep, rate_limit=shared, retry=RetrySettings())
    run_sync(client.get_campaign("1001"))  # token and discovery first
    tenant.state.config.update({"rate_limit": 0.5, "burst": 1})
    tenant.state.buckets.clear()

    run_sync(client.get_skill("1001"))  # the bucket's one token
    run_sync(client.get_skill("1001"))  # 429s (no Retry-After) until the sandbox's bucket refills

    assert tenant.state.stats.count(f"GET {API}/skills/{{skill_id}}", 429) >= 1
    assert shared.holds and shared.holds == clock.waits  # every wait was ours, and everyone held off for it
    run_sync(client.aclose())


def test_a_429_with_retry_after_waits_what_the_tenant_says(tenant):
    clock = FakeClock()

    async def sleep(seconds: float) -> None:
        await clock.sleep(seconds)
        tenant.state.clock.advance(seconds)

    client = admin_asgi_client(tenant, clock=clock, sleep=sleep, retry=RetrySettings())
    run_sync(client.get_skill("1001"))
    tenant.state.config.update({"rate_limit": 0.25, "burst": 1, "admin_retry_after": True})
    tenant.state.buckets.clear()
    run_sync(client.get_skill("1001"))
    run_sync(client.get_skill("1001"))
    assert clock.waits and clock.waits[0] >= 3  # the sandbox said 4 s; our own backoff starts far lower
    run_sync(client.aclose())
