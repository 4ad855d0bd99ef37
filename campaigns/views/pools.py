"""The Pools page: who draws on which agents. Everyone reads it; supervisors define, change and remove pools
(services/pools/editing.py checks and audits each change)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns import roles
from campaigns.models import AgentPool
from campaigns.pool_forms import PoolForm
from campaigns.scheduling.staffing import profile_lines
from campaigns.services.errors import DraftChanged, InvalidInput, WorkflowError
from campaigns.services.pools import editing, lookup
from campaigns.viewer import viewer_zone
from campaigns.views.common import lock_version_from


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pool_list(request):
    cards, skills = lookup.overview()
    context = {
        "nav": "pools",
        "cards": cards,
        "skills": skills,
        "nothing_shared": lookup.nothing_shared(),
        "can_define": editing.may_define_pools(request.user),
    }
    return render(request, "campaigns/pools.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pool_new(request):
    _may_define(request.user)
    data = request.POST if request.method == "POST" else None
    form = PoolForm(data, initial={"zone": viewer_zone(request).key, "agents": 10})
    if request.method == "POST" and form.is_valid():
        try:
            pool = editing.define_pool(request.user, form.values())
        except InvalidInput as exc:
            _field_error(form, exc)
        else:
            messages.success(request, f"Pool {pool.name} defined: capacity planning now counts it.")
            return redirect("pools")
    return _form_page(request, form, None, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pool_edit(request, pk):
    _may_define(request.user)
    pool = get_object_or_404(AgentPool, pk=pk)
    members = list(pool.members.values_list("campaign_id", "skill_id"))
    campaigns = [c for c, _ in members if c is not None]
    skills = [s for _, s in members if s is not None]
    initial = {
        "name": pool.name,
        "agents": pool.agents,
        "zone": pool.zone,
        "staffing": "\n".join(profile_lines(tuple(tuple(d) for d in pool.staffing), pool.agents))
        if pool.staffing
        else "",
        "campaigns": [str(c) for c in campaigns],
        "skills": [str(s) for s in skills],
    }
    data = request.POST if request.method == "POST" else None
    form = PoolForm(data, initial=initial, members=(campaigns, skills))
    if request.method == "POST" and form.is_valid():
        try:
            editing.change_pool(pool.pk, request.user, form.values(), lock_version=lock_version_from(request.POST))
        except InvalidInput as exc:
            _field_error(form, exc)
        except DraftChanged as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Pool {form.cleaned_data['name']} saved.")
            return redirect("pools")
    return _form_page(request, form, pool, status=400 if form.is_bound else 200)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pool_remove(request, pk):
    _may_define(request.user)
    try:
        name = editing.remove_pool(pk, request.user, lock_version=lock_version_from(request.POST))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("pool-edit", pk=pk) if AgentPool.objects.filter(pk=pk).exists() else redirect("pools")
    messages.success(request, f"Pool {name} removed; its campaigns draw on their skills again.")
    return redirect("pools")


def _may_define(user) -> None:
    if not editing.may_define_pools(user):
        raise PermissionDenied("Supervisors define pools; everyone can read them on the Pools page.")


def _field_error(form, exc: InvalidInput) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _form_page(request, form, pool, *, status: int):
    context = {"nav": "pools", "form": form, "pool": pool}
    return render(request, "campaigns/pool_form.html", context, status=status)
