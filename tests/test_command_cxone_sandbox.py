"""`manage.py cxone_sandbox` turns its flags into the sandbox's knobs, the Admin personality's open points
included."""

from __future__ import annotations

import io

from django.core.management import call_command

from campaigns.management.commands import cxone_sandbox


def served_with(monkeypatch, *flags):
    served = []
    monkeypatch.setattr(cxone_sandbox, "serve", lambda app, **kwargs: served.append(app))
    call_command("cxone_sandbox", *flags, stdout=io.StringIO())
    return served[0].state.config


def test_the_admin_personalitys_knobs_default_to_what_the_sources_report(monkeypatch):
    config = served_with(monkeypatch, "--api", "admin", "--campaigns", "2")
    assert (config.admin_require_all_days, config.admin_retry_get, config.admin_zone_name_field,
            config.admin_retry_after) == (True, "flat", "name", False)  # fmt: skip


def test_each_open_point_is_a_flag(monkeypatch):
    config = served_with(
        monkeypatch, "--api", "admin", "--campaigns", "2", "--no-admin-require-all-days",
        "--admin-retry-get", "wrapped", "--admin-zone-name-field", "standardName", "--admin-retry-after",
    )  # fmt: skip
    assert (config.admin_require_all_days, config.admin_retry_get, config.admin_zone_name_field,
            config.admin_retry_after) == (False, "wrapped", "standardName", True)  # fmt: skip
