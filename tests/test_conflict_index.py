"""The cached conflict index: rebuilt when what it is built from changes, not when a sync merely passes by."""

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services.drafts.checks import conflict_index
from tests.conftest import make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_the_index_is_reused_while_nothing_changes_even_when_sync_touches_every_row(pool):
    make_campaign("C-1", pool=pool)
    first = conflict_index.current(timezone.now())
    Campaign.objects.update(synced_at=timezone.now())
    assert conflict_index.current(timezone.now()) is first


@pytest.mark.parametrize(
    "change",
    [
        {"remote_version": 8},
        {"agents_required": 4},
        {"missing_since": timezone.now()},
    ],
)
def test_the_index_is_rebuilt_when_a_campaign_changes_what_it_counts(pool, change):
    make_campaign("C-1", pool=pool)
    first = conflict_index.current(timezone.now())
    Campaign.objects.update(**change)
    assert conflict_index.current(timezone.now()) is not first


def test_the_index_is_rebuilt_when_a_pool_gets_more_agents(pool):
    make_campaign("C-1", pool=pool)
    first = conflict_index.current(timezone.now())
    pool.agents += 5
    pool.save()
    assert conflict_index.current(timezone.now()) is not first


def test_the_approval_queue_asks_for_the_index_once_whatever_its_length(client, supervisor, pool, planner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from campaigns.services.drafts import workflow
    from tests.conftest import make_draft

    def queue_queries(n):
        for i in range(n):
            draft = make_draft(make_campaign(f"C-Q{n}-{i}", pool=pool), planner)
            workflow.submit(draft.pk, planner, lock_version=1)
        client.force_login(supervisor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("approval-queue")).status_code == 200
        return len(queries)

    # Two already clash in the pool, so both pages name conflicts (read once per page, not once per draft).
    two_waiting = queue_queries(2)
    six_waiting = queue_queries(4)
    assert two_waiting == six_waiting
