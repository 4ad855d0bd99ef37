from django.db import migrations, models


class Migration(migrations.Migration):
    """A real tenant's Admin API: a campaign's cadence windows and open-ended schedule, and where the sync's last
    read of what changed left off (its lastPollTime, the last full read). A draft's restricted calling window is
    0011's (0 and 0: none), so what a draft says is always written."""

    dependencies = [
        ("campaigns", "0015_pools"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="open_ended",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="campaign",
            name="time_constraints",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="campaign",
            name="called_zones",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="syncstatus",
            name="last_full_sync_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncstatus",
            name="poll_marker",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
