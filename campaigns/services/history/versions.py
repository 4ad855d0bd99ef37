"""Recording a campaign's versions, and the reference each campaign is held to.

The reference is the campaign's latest version approved here or kept from CXone; a campaign never approved here
is held to the version first mirrored. Versions are only ever added: the history is every one of them.

    record_first(campaigns, now)   campaigns with no version yet: their mirrored values, as first mirrored
    record_approved(a, remote)     an activation reached ACTIVE (outcomes.finish, in its transaction): what CXone
                                   showed live becomes the reference; a change in CXone still open is replaced
    references(...)                campaign id → its reference version
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from campaigns.cxone import schemas
from campaigns.models import Activation, Campaign, CampaignVersion, Drift
from campaigns.services import audit
from campaigns.services.history import values

Source = CampaignVersion.Source
REPLACED_ACTION = "campaigns.drift.replaced"


def latest_reference_id():
    """A subquery: the pk of the reference version of the campaign in the outer query."""
    return Subquery(
        CampaignVersion.objects.filter(campaign=OuterRef("pk"), source__in=CampaignVersion.REFERENCE_SOURCES)
        .order_by("-pk")
        .values("pk")[:1]
    )


def reference_of(campaign: Campaign) -> CampaignVersion | None:
    return (
        CampaignVersion.objects.filter(campaign=campaign, source__in=CampaignVersion.REFERENCE_SOURCES)
        .order_by("-pk")
        .first()
    )


def record_first(campaigns: list[Campaign], now: dt.datetime) -> list[CampaignVersion]:
    """Each campaign's mirrored values as its first version (one bulk insert)."""
    rows = [
        CampaignVersion(
            campaign=campaign,
            source=Source.FIRST_MIRRORED,
            recorded_at=now,
            **values.version_fields(values.of_campaign(campaign)),
        )
        for campaign in campaigns
    ]
    return CampaignVersion.objects.bulk_create(rows, batch_size=500)


def record_approved(a: Activation, remote: schemas.Campaign | None) -> CampaignVersion:
    """The version an activation made live: CXone's campaign as the poller saw it ACTIVE (its mirror when CXone's
    answer is not at hand), approved by the draft's approver. Written in the transaction of the activation's
    outcome; once per draft. A change in CXone still open on the campaign is answered by it ("replaced")."""
    campaign = Campaign.objects.get(pk=a.campaign_id)
    draft = a.draft
    seen = values.of_remote(remote, campaign) if remote is not None else values.of_campaign(campaign)
    now = timezone.now()
    version, _ = CampaignVersion.objects.get_or_create(
        draft=draft,
        source=Source.APPROVED,
        defaults={
            "campaign": campaign,
            "decided_by_id": draft.approver_id,
            "recorded_at": a.observed_active_at or now,
            **values.version_fields(seen),
        },
    )
    for drift in Drift.objects.filter(campaign=campaign, answered_at__isnull=True):
        replaced = Drift.objects.filter(pk=drift.pk, answered_at__isnull=True).update(
            answered_at=now, answer=Drift.Answer.REPLACED, answered_by_id=draft.approver_id
        )
        if replaced:
            message = f"Draft #{draft.pk} went live: {campaign.name} runs the approved schedule again."
            audit.record(REPLACED_ACTION, drift, campaign=campaign, message=message)
    return version
