"""Revise: the next step after a rejection (or a failed or stale activation), a new draft from the old values."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from campaigns.models import ScheduleDraft
from campaigns.services.drafts import workflow


@require_POST
@permission_required("campaigns.add_scheduledraft", raise_exception=True)
def revise_draft(request, pk):
    old = get_object_or_404(ScheduleDraft, pk=pk)
    try:
        draft = workflow.revise(old.pk, request.user)
    except workflow.OpenDraftExists as exc:
        messages.info(request, exc.message)
        return redirect("draft-editor", exc.draft_id)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("draft-editor", old.pk)
    messages.success(
        request,
        f"Draft #{draft.pk} starts from draft #{old.pk}'s values. Change what was asked for, then submit it.",
    )
    return redirect("draft-editor", draft.pk)
