from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.models import DraftStatus, ScheduleDraft
from campaigns.services.control import alarms
from campaigns.services.notifications import inbox
from campaigns.services.sync.status import banner


def cxone(request):
    """`cxone_versions`: whether pages show CXone's version numbers (backend.versions_shown)."""
    return {"cxone_versions": capabilities().versions_shown}


def navigation(request):
    """What the navigation may offer this user: links appear only where the role may go."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    can_review = user.has_perm(roles.REVIEW_DRAFTS)
    return {
        "user_role": lambda: roles.role_of(user),  # a query: only when the navigation is rendered
        "can_edit_drafts": user.has_perm(roles.EDIT_DRAFTS),
        "can_review_drafts": can_review,
        # Managers, and supervisors too (ux.md: manager+); views/chart_support.may_view_dashboards agrees.
        "can_view_dashboards": user.has_perm(roles.VIEW_DASHBOARDS) or can_review,
        "can_view_campaigns": user.has_perm(roles.VIEW_CAMPAIGNS),
        "can_view_webhooks": roles.can_view_webhooks(user),
        # Lazy: counted only when the navigation renders it. Only what this user may act on: not their own.
        "queue_count": (
            lambda: ScheduleDraft.objects.filter(status=DraftStatus.SUBMITTED).exclude(author=user).count()
        )
        if can_review
        else 0,
    }


def sync_banner(request):
    """The calm line every page shows while the campaign mirror cannot be trusted to be current (the last sync
    failed, or none succeeded for two sync periods), with the reason. Signed-in users only; one query, made
    only when the page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"sync_banner": banner}


def notifications(request):
    """The top bar's unread count (one query, only when the page renders it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: inbox.unread_count(user)}


def control_alarms(request):
    """The control alarm's banner on every page: stops CXone has not confirmed in time (one query, made only when
    the page renders it). Signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"control_alarms": lambda: list(alarms.open_alarms()[:5])}
