"""0020_page_speed: the indexes the pages of 10 000 campaigns rely on are there, and the queries they are for use
them (SQLite's planner says so as PostgreSQL's does)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import QueryDict

from campaigns.services.reports import notices
from campaigns.views.campaigns import filtered_campaigns
from campaigns.views.query import QueryFilters
from tests.conftest import make_campaign

pytestmark = pytest.mark.django_db


def plan(sql: str, params) -> str:
    """The planner's words for `sql`, in SQLite's vocabulary ("USING INDEX x", "TEMP B-TREE" for a sort). On
    PostgreSQL sequential scans are turned off for the question: its tables here are a few rows, which it would
    rather scan, and what is asked is whether the index serves the query (its order included)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            said = " | ".join(str(row[0]) for row in cursor.fetchall())
            return said.replace("Index Scan using ", "USING INDEX ").replace("Sort", "TEMP B-TREE")
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_campaign_list_reads_its_page_in_index_order_without_sorting_every_campaign(pool):
    for n in range(3):
        make_campaign(f"C-{n}", pool=pool)
    campaigns, _ = filtered_campaigns(QueryFilters(QueryDict("")))

    said = plan(*campaigns[:25].query.sql_with_params())

    assert "USING INDEX campaign_list_order" in said and "TEMP B-TREE" not in said


def test_a_planners_notices_find_their_drafts_entries_by_object(planner):
    captured = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            captured.append((sql, params)) or execute(sql, params, many, context)
        )
    ):
        notices.for_user(User.objects.get(pk=planner.pk))
    entries = next((sql, params) for sql, params in captured if 'FROM "campaigns_auditentry"' in sql)

    assert "audit_by_object" in plan(*entries)
