"""The audit trail: every state change and edit, filterable by campaign, user and action; and its CSV export."""

import csv
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.models import AuditEntry, Campaign
from campaigns.services.reports import audit_words
from campaigns.viewer import viewer_zone
from campaigns.views.common import campaign_options
from campaigns.views.query import QueryFilters

PAGE_SIZE = 50
CSV_CHUNK = 500


def filtered_entries(query: QueryFilters) -> tuple:
    """The entries the query string asks for, newest first, and the cleaned filters (values that are no id are
    ignored and named in query.problems)."""
    entries = AuditEntry.objects.select_related("actor", "campaign")
    campaign = query.row_id("campaign", "Campaign")
    user = query.row_id("user", "User")
    filters = {
        "campaign": "" if campaign is None else str(campaign),
        "user": "" if user is None else str(user),
        "action": query.text("action"),
    }
    if campaign is not None:
        entries = entries.filter(campaign_id=campaign)
    if user is not None:
        entries = entries.filter(actor_id=user)
    if filters["action"]:
        entries = entries.filter(action__icontains=filters["action"])
    return entries, filters


@require_safe
@vary_on_headers("HX-Request")  # the whole page or (to htmx) its results: caches must keep them apart
@permission_required("campaigns.view_auditentry", raise_exception=True)
def audit_trail(request):
    query = QueryFilters(request.GET)
    entries, filters = filtered_entries(query)
    page = Paginator(entries, PAGE_SIZE).get_page(query.page())
    context = {
        "nav": "audit",
        "page": page,
        "filters": filters,
        "viewer_zone_label": str(viewer_zone(request)),
        "campaign_options": campaign_options(Campaign.objects.order_by("name"), filters["campaign"], kept_as="audit"),
        "users": get_user_model()
        .objects.filter(Exists(AuditEntry.objects.filter(actor=OuterRef("pk"))))
        .order_by("username"),
        "actions": AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct(),
        "query_problems": query.problems,
    }
    template = "campaigns/audit.html"
    if request.htmx and request.htmx.target == "audit-results" and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=query.status)


class _Echo:
    """A file-like object csv.writer writes one row to, handing the text straight back (for streaming)."""

    def write(self, value):
        return value


CSV_HEADER = [
    "When ({zone})", "When (UTC)", "Who", "Action", "Action code", "Object", "Object id", "Campaign",
    "CXone id", "Message", "Changes",
]  # fmt: skip


def _cell(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: a rejection reason must stay text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
@permission_required("campaigns.view_auditentry", raise_exception=True)
def audit_csv(request):
    """The filtered trail as CSV, streamed a chunk of rows at a time (the whole trail never sits in memory), with
    names and times in the viewer's zone and in UTC, the way managers hand it on."""
    query = QueryFilters(request.GET)
    entries, _ = filtered_entries(query)
    if query.reasons:
        return HttpResponseBadRequest(
            "".join(f"{reason}.\n" for reason in query.reasons), content_type="text/plain; charset=utf-8"
        )
    zone = viewer_zone(request)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([h.format(zone=zone) for h in CSV_HEADER])
        stream = entries.iterator(chunk_size=CSV_CHUNK)
        while chunk := list(islice(stream, CSV_CHUNK)):
            for line in audit_words.lines(chunk, zone):
                changes = "; ".join(
                    f"{c.label}: "
                    + (f"{c.before} → " if c.before != "—" else "")
                    + c.after
                    + (f" ({c.after_words})" if c.after_words else "")
                    for c in line.changes
                )
                yield writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            line.when,
                            line.when_utc,
                            line.who,
                            line.action,
                            line.entry.action,
                            line.object_name,
                            line.object_ref,
                            line.campaign_name,
                            line.campaign_ref,
                            line.entry.message,
                            changes,
                        )  # fmt: skip
                    ]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(zone).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
