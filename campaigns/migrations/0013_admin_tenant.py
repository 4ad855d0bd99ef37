from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A real tenant's Admin API: a campaign's cadence windows and open-ended schedule, a draft's restricted calling window (retry
    settings), and where the sync's last read of what changed left off (its lastPollTime, the last full read)."""

    dependencies = [
        ('campaigns', '0010_clear_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='open_ended',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='campaign',
            name='time_constraints',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='scheduledraft',
            name='retry_restricted_max_attempts',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='retry: restricted calling max attempts'),
        ),
        migrations.AddField(
            model_name='scheduledraft',
            name='retry_restricted_minutes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='retry: restricted calling minutes'),
        ),
        migrations.AddField(
            model_name='syncstatus',
            name='last_full_sync_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='syncstatus',
            name='poll_marker',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name='scheduledraft',
            constraint=models.CheckConstraint(condition=models.Q(('retry_restricted_minutes__isnull', True), ('retry_restricted_minutes__lte', 9999), _connector='OR'), name='draft_restricted_calling_minutes_fit_cxone'),
        ),
        migrations.AddConstraint(
            model_name='scheduledraft',
            constraint=models.CheckConstraint(condition=models.Q(('retry_restricted_max_attempts__isnull', True), ('retry_restricted_max_attempts__lte', 10), _connector='OR'), name='draft_restricted_calling_attempts_0_to_10'),
        ),
    ]
