"""Campaign sync against the sandbox over a real socket, under the faults a real tenant throws at it: a rate
limit of 1 request/s (with and without Retry-After), a campaign deleted while sync pages, two token
revocations in a row, CXone answering 5xx at start-up, one contact list that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from campaigns.cxone.errors import ServerError
from campaigns.cxone.factory import run_sync, set_client_factory
from campaigns.cxone.ratelimit import MemoryStore, SharedRateLimit
from campaigns.cxone.resilience import RetrySettings
from campaigns.cxone.v2 import CXoneClient
from campaigns.models import AuditEntry, Campaign, SyncStatus
from campaigns.sandbox import SandboxServer
from campaigns.services.sync.mirror import sync_campaigns
from campaigns.tasks import sync_campaigns_task
from tests.cxone_support import FAST_RETRY, fast_config

pytestmark = pytest.mark.django_db
LIST_ROUTE = "GET /api/v2/outbound/campaigns"


def socket_client(server: SandboxServer, **options) -> CXoneClient:
    options.setdefault("retry", FAST_RETRY)
    return CXoneClient(server.url, "demo", "demo-secret", **options)


def sync_with(client: CXoneClient, **options):
    try:
        return sync_campaigns(client, **options)
    finally:
        run_sync(client.aclose())


def refusals(server: SandboxServer, status: int) -> int:
    return sum(counts.get(str(status), 0) for counts in server.state.stats.as_dict()["requests"].values())


@pytest.mark.parametrize("omit_retry_after", [False, True], ids=["retry-after", "no-retry-after"])
def test_a_sync_finishes_when_cxone_allows_one_request_per_second(omit_retry_after):
    config = fast_config(campaigns=12, rate_limit=1, burst=4, omit_retry_after=omit_retry_after)
    with SandboxServer(config) as server:
        # Our limit is set above CXone's (5/s burst 20, the Procfile's): CXone's 429s must be waited out.
        limit = SharedRateLimit(MemoryStore(), "tenant", rate=5, burst=20)
        retry = RetrySettings(total_seconds=30, wait_initial=0.25, wait_max=2, wait_jitter=0.25)
        client = socket_client(server, rate_limit=limit, retry=retry)
        result = sync_with(client)
        rate_limited = refusals(server, 429)
    assert rate_limited > 0  # CXone did refuse requests...
    assert result.failed == {} and result.problems == []  # ...and every one was waited out
    assert result.created == 12 and Campaign.objects.filter(contact_list_size__gt=0).count() == 12
    assert client.circuit.times_opened == 0


def test_a_campaign_deleted_while_sync_pages_is_the_only_one_marked_missing():
    with SandboxServer(fast_config(campaigns=40)) as server:
        client = socket_client(server)
        try:
            sync_campaigns(client, page_size=10)
            server.state.reset_stats()
            # Deleted once page 1 (C-1001..C-1010) is served: page 2 then starts at C-1012, skipping C-1011.
            server.state.config.update({"delete_while_paging": "C-1005"})
            during = sync_campaigns(client, page_size=10)
            confirmations = server.state.stats.count(LIST_ROUTE, 200) - 4  # 4 pages of the list
            after = sync_campaigns(client, page_size=10)
        finally:
            run_sync(client.aclose())
    assert confirmations == 1  # C-1011, unlisted, was looked up by id: CXone still has it
    assert (during.missing, after.missing) == (0, 1)
    assert list(Campaign.objects.exclude(missing_since=None).values_list("cxone_id", flat=True)) == ["C-1005"]
    missing_marks = AuditEntry.objects.filter(changes__has_key="missing_since")
    assert list(missing_marks.values_list("campaign__cxone_id", flat=True)) == ["C-1005"]


def test_two_token_revocations_in_a_row_do_not_abort_a_sync():
    with SandboxServer(fast_config(campaigns=40)) as server:
        state = server.state
        real_token_info, real_issue_token = state.token_info, state.issue_token
        api_calls = tokens = 0

        def token_info(token):
            nonlocal api_calls
            api_calls += 1
            if api_calls == 3:
                state.revoke_tokens()  # first revocation, in the middle of the sync
            return real_token_info(token)

        def issue_token(client_id, scopes):
            nonlocal tokens
            token, lifetime = real_issue_token(client_id, scopes)
            tokens += 1
            if tokens == 2:
                state.revoke_tokens()  # second revocation: the new token dies before its first use
            return token, lifetime

        state.token_info, state.issue_token = token_info, issue_token
        result = sync_with(socket_client(server))
        unauthorised = refusals(server, 401)
    assert result.created == 40 and result.failed == {}
    assert tokens == 3 and unauthorised >= 2


def test_with_cxone_failing_at_start_up_the_pages_serve_and_the_banner_says_why(client, planner):
    with SandboxServer(fast_config(server_error_rate=1.0)) as server:
        set_client_factory(lambda: socket_client(server))
        try:
            with pytest.raises(ServerError):
                sync_campaigns_task()
        finally:
            set_client_factory(None)
    client.force_login(planner)
    page = client.get(reverse("campaign-list"))
    health = client.get("/healthz")

    assert page.status_code == 200
    text = page.content.decode()
    assert "The last sync with CXone failed (ServerError:" in text and "answered 503" in text
    assert health.status_code == 200 and health.json()["sync"]["last_success_at"] is None
    assert health.json()["sync"]["last_error"].startswith("ServerError: GET /api/v2/outbound/campaigns")


def test_the_web_process_never_waits_for_a_sync_the_workers_sync_at_start():
    procfile = dict(
        line.split(":", 1) for line in (Path(__file__).parent.parent / "Procfile").read_text().splitlines()
    )
    assert "sync_campaigns" not in procfile["web"] and "runserver" in procfile["web"]
    assert "sync_campaigns --enqueue" in procfile["worker"] and procfile["worker"].endswith("qcluster")


def test_one_contact_list_failing_leaves_its_campaigns_as_they_were_and_writes_the_rest():
    with SandboxServer(fast_config(campaigns=12)) as server:
        client = socket_client(server)
        try:
            sync_campaigns(client)
            for campaign_id in list(server.state.campaigns):
                server.state.touch(campaign_id, {"name": f"Renamed {campaign_id}"})
            server.state.config.update({"failing_paths": ["/api/v2/outbound/contact-lists/L-72"]})
            broken = sync_campaigns(client)
            names_then = dict(Campaign.objects.values_list("cxone_id", "name"))
            status_then = SyncStatus.objects.get()
            server.state.config.update({"failing_paths": []})
            healed = sync_campaigns(client)
        finally:
            run_sync(client.aclose())
        using = {i for i, c in server.state.campaigns.items() if c["contactList"]["id"] == "L-72"}

    assert using and set(broken.failed) == using
    assert all("contact list L-72: ServerError" in reason for reason in broken.failed.values())
    assert broken.updated == 12 - len(using)
    assert all(names_then[i] == f"Renamed {i}" for i in set(names_then) - using)
    assert all(not names_then[i].startswith("Renamed") for i in using)  # kept their previous mirror whole
    assert status_then.failed_campaigns == broken.failed and sorted(using)[0] in status_then.last_error
    assert healed.failed == {} and healed.updated == len(using)  # read again next time
    assert SyncStatus.objects.get().last_error == ""
