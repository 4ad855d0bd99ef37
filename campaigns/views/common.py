from django.shortcuts import get_object_or_404

from campaigns.models import ScheduleDraft


def draft_with_campaign(pk: int) -> ScheduleDraft:
    return get_object_or_404(
        ScheduleDraft.objects.select_related("campaign", "campaign__pool", "author", "approver"), pk=pk
    )


def lock_version_from(data, name: str = "lock_version") -> int:
    """The version of the draft the user's page was showing. Missing or garbled counts as "unknown" (0), which
    never matches a saved draft, so the service refuses the change instead of overwriting blindly."""
    try:
        return int(data.get(name, ""))
    except (TypeError, ValueError):
        return 0
