from django.apps import AppConfig

from campaigns import checks  # noqa: F401  (defining the module registers the system checks)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaign schedules"
