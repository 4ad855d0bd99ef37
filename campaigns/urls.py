from django.urls import path, register_converter

from campaigns.views import (
    activations,
    approvals,
    audit,
    calendars,
    campaigns,
    charts,
    dashboards,
    dialling,
    drafts,
    health,
    history,
    notifications,
    pools,
    revisions,
    webhooks,
)


class RowId:
    """A row's id in a path: at most 18 digits, what a database integer holds. A longer one is no page of ours
    (404); Django's "int" would pass it on, and SQLite answers it with an OverflowError."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RowId, "id")

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/<id:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<id:pk>/drafts/new", drafts.new_draft, name="draft-new"),
    path("campaigns/<id:pk>/history/", history.campaign_history, name="campaign-history"),
    path("changes-in-cxone/<id:pk>/keep", history.keep_cxone, name="drift-keep"),
    path("changes-in-cxone/<id:pk>/restore", history.restore_approved, name="drift-restore"),
    path("versions/<id:pk>/revise", history.revise_from_version, name="version-revise"),
    path("drafts/", drafts.my_drafts, name="my-drafts"),
    path("drafts/<id:pk>/", drafts.draft_editor, name="draft-editor"),
    path("drafts/<id:pk>/validate", drafts.validate_draft, name="draft-validate"),
    path("drafts/<id:pk>/submit", drafts.submit_draft, name="draft-submit"),
    path("drafts/<id:pk>/withdraw", drafts.withdraw_draft, name="draft-withdraw"),
    path("drafts/<id:pk>/rebase", drafts.rebase_draft, name="draft-rebase"),
    path("drafts/<id:pk>/revise", revisions.revise_draft, name="draft-revise"),
    path("approvals/", approvals.approval_queue, name="approval-queue"),
    path("approvals/<id:pk>/approve", approvals.approve_draft, name="draft-approve"),
    path("approvals/<id:pk>/reject", approvals.reject_draft, name="draft-reject"),
    path("activations/", activations.activation_list, name="activation-list"),
    path("activations/<id:pk>/step", activations.activation_step, name="activation-step"),
    path("activations/<id:pk>/retry", activations.retry_activation, name="activation-retry"),
    path("audit/", audit.audit_trail, name="audit"),
    path("audit.csv", audit.audit_csv, name="audit-csv"),
    path(
        "notifications/<id:entry_id>/dismiss",
        notifications.dismiss_notification,
        name="notification-dismiss",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<id:pk>/read", notifications.mark_read, name="notification-read"),
    path("notifications/read", notifications.mark_all_read, name="notifications-read"),
    path("notifications/choices", notifications.choose, name="notification-choices"),
    path(
        "notifications/unsubscribe/<str:token>/", notifications.unsubscribe, name="notification-unsubscribe"
    ),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<id:pk>/redeliver", webhooks.redeliver, name="webhook-redeliver"),
    path("webhooks/endpoint/resume", webhooks.resume_endpoint, name="webhook-endpoint-resume"),
    path("pools/", pools.pool_list, name="pools"),
    path("pools/new", pools.pool_new, name="pool-new"),
    path("pools/<id:pk>/", pools.pool_edit, name="pool-edit"),
    path("pools/<id:pk>/remove", pools.pool_remove, name="pool-remove"),
    path("calendars/", calendars.calendar_list, name="calendars"),
    path("calendars/new", calendars.calendar_new, name="calendar-new"),
    path("calendars/preview", calendars.calendar_preview, name="calendar-preview"),
    path("calendars/<id:pk>/", calendars.calendar_detail, name="calendar-detail"),
    path("calendars/<id:pk>/edit", calendars.calendar_edit, name="calendar-edit"),
    path("calendars/<id:pk>/attach", calendars.calendar_attach, name="calendar-attach"),
    path("calendars/revisions/<id:pk>/submit", calendars.revision_submit, name="calendar-revision-submit"),
    path("calendars/revisions/<id:pk>/withdraw", calendars.revision_withdraw, name="calendar-revision-withdraw"),
    path("calendars/revisions/<id:pk>/discard", calendars.revision_discard, name="calendar-revision-discard"),
    path("calendars/revisions/<id:pk>/approve", calendars.revision_approve, name="calendar-revision-approve"),
    path("calendars/revisions/<id:pk>/reject", calendars.revision_reject, name="calendar-revision-reject"),
    path("timeline/", charts.timeline, name="timeline"),
    path("capacity/", charts.capacity, name="capacity"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dialling/", dialling.dialling, name="dialling"),
    path("dialling/stop", dialling.stop_new, name="dialling-stop-new"),
    path("dialling/stops/<id:pk>/", dialling.stop_detail, name="dialling-stop"),
    path("dialling/stops/<id:pk>/rows", dialling.stop_rows, name="dialling-stop-rows"),
    path("dialling/stops/<id:pk>/resume", dialling.resume_ask, name="dialling-resume-ask"),
    path("dialling/stops/<id:pk>/resume/withdraw", dialling.resume_withdraw, name="dialling-resume-withdraw"),
    path("dialling/stops/<id:pk>/resume/agree", dialling.resume_agree, name="dialling-resume-agree"),
    path("dialling/pauses/new", dialling.pause_new, name="dialling-pause-new"),
    path("dialling/pauses/<id:pk>/approve", dialling.pause_approve, name="dialling-pause-approve"),
    path("dialling/pauses/<id:pk>/reject", dialling.pause_reject, name="dialling-pause-reject"),
    path("healthz", health.healthz, name="healthz"),
]
