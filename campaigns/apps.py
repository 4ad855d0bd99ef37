from django.apps import AppConfig

from campaigns import checks, notify_checks  # noqa: F401  (defining the modules registers the system checks)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaign schedules"
