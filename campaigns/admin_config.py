"""django.contrib.admin with our site as the default one (in a module of its own: Django takes a module holding
two AppConfigs for an error, and the site itself may import models only once the apps are loaded)."""

from django.contrib.admin.apps import AdminConfig


class PlannerAdminConfig(AdminConfig):
    """Every admin change also goes to the audit trail: campaigns/admin_site.py."""

    default_site = "campaigns.admin_site.AuditedAdminSite"
