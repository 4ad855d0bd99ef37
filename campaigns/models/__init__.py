"""The domain model: the CXone mirror, the drafts planners edit, activations, the webhook outbox, the audit trail,
notifications with their mail outbox, sign-on identities, and every version a campaign's schedule has had.

Rules that must hold whatever code path writes a row (one open draft per campaign, a draft's approver is never
its author, a window lasts 1..1440 minutes, ...) are database constraints, not only form validation.
"""

from campaigns.models.activation import STEP_TRANSITIONS, Activation, WorkerLease, steps_leading_to
from campaigns.models.blackouts import BlackoutCalendar, CalendarRevision, RevisionStatus
from campaigns.models.control import (
    CONTROL_TRANSITIONS,
    DiallingChange,
    DiallingStop,
    TimedPause,
    control_steps_leading_to,
)
from campaigns.models.drafts import DRAFT_TRANSITIONS, OPEN_DRAFT_STATUSES, DraftStatus, ScheduleDraft
from campaigns.models.history import CampaignVersion, Drift
from campaigns.models.mirror import Campaign, CapacityPool
from campaigns.models.notifications import MailMessage, Notification, NotificationKind, NotificationSettings
from campaigns.models.pools import AgentPool, PoolMember
from campaigns.models.records import AuditEntry, CXoneRateBucket, MetricCounter, NoticeDismissal, SyncStatus
from campaigns.models.sign_on import SignOnIdentity
from campaigns.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "CONTROL_TRANSITIONS",
    "DiallingChange",
    "DiallingStop",
    "TimedPause",
    "control_steps_leading_to",
    "DRAFT_TRANSITIONS",
    "OPEN_DRAFT_STATUSES",
    "STEP_TRANSITIONS",
    "Activation",
    "AgentPool",
    "AuditEntry",
    "BlackoutCalendar",
    "CXoneRateBucket",
    "Campaign",
    "CalendarRevision",
    "CampaignVersion",
    "CapacityPool",
    "DraftStatus",
    "MailMessage",
    "Drift",
    "MetricCounter",
    "NoticeDismissal",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "PoolMember",
    "RevisionStatus",
    "ScheduleDraft",
    "SignOnIdentity",
    "SyncStatus",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkerLease",
    "steps_leading_to",
]
