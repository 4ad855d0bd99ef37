from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaign schedules"

    def ready(self) -> None:
        from campaigns import checks  # noqa: F401  (registers the system checks)
