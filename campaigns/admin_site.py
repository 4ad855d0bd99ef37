"""The Django admin's site, audited: every add, change and delete made through any admin page (ours, auth's,
django-q2's) is also written to the audit trail, with the changed fields' values before and after.

Django keeps its own LogEntry for the admin's history page; the audit trail is where the rest of the product's
changes are, where managers look and what the CSV export hands on, so the admin's changes belong there too.
The site wraps each ModelAdmin class as it is registered (campaigns.admin_config.PlannerAdminConfig makes it the
default site), so an admin registered later by another app is audited as well.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelChoiceField

from campaigns.services import audit

HIDDEN = "(changed; not shown)"


class AuditedModelAdmin:
    """Mixed in front of every ModelAdmin the site registers."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        # Read by log_addition / log_change, which Django calls right after with the same request.
        request.audited_changes = changed_values(form)
        return message

    def log_addition(self, request, obj, message):
        logged = super().log_addition(request, obj, message)
        audit.record_admin_change(
            "added", obj, actor=request.user, summary=logged.get_change_message(), changes=_taken(request)
        )
        return logged

    def log_change(self, request, obj, message):
        logged = super().log_change(request, obj, message)
        audit.record_admin_change(
            "changed", obj, actor=request.user, summary=logged.get_change_message(), changes=_taken(request)
        )
        return logged

    def log_deletions(self, request, queryset):
        # Called before the rows go, by the delete page and by the "delete selected" action alike.
        logged = super().log_deletions(request, queryset)
        for obj in queryset:
            audit.record_admin_change("deleted", obj, actor=request.user)
        return logged


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)


def _taken(request) -> dict:
    changes = getattr(request, "audited_changes", None) or {}
    request.audited_changes = None
    return changes


def changed_values(form) -> dict:
    """{field: [before, after]} of the fields the form changed, as JSON values; passwords never, not even hashed."""
    values = {}
    for name in form.changed_data:
        if "password" in name:
            values[name] = [None, HIDDEN]
            continue
        field = form.fields.get(name)
        before, after = plain(form.initial.get(name), field), plain(form.cleaned_data.get(name), field)
        if before != after:  # a form may count "{}" typed over {} as a change
            values[name] = [before, after]
    return values


def plain(value, field=None):
    """A form value as JSON: rows by their names (a foreign key's initial value is only its id), lists sorted."""
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(field, ModelChoiceField) and value not in (None, "") and not isinstance(value, bool):
            try:
                found = field.queryset.filter(pk=value).first()
            except (ValueError, TypeError, ValidationError):
                found = None
            return str(found) if found is not None else value
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted((plain(item) for item in value), key=str)
    if isinstance(value, dt.date | dt.time):  # datetimes are dates
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return str(value)
