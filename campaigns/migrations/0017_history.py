
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RUNNING = {"ACTIVE": True, "PAUSED": False}  # DRAFT, ERROR and FAILED say neither


def record_first_versions(apps, schema_editor):
    """Each campaign's current mirrored values as its first version: what it is held to until a draft of it goes
    live here (or someone keeps a change made in CXone)."""
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignVersion = apps.get_model("campaigns", "CampaignVersion")
    now = django.utils.timezone.now()
    rows = []
    for campaign in Campaign.objects.order_by("pk").iterator():
        zones = {
            zone
            for row in campaign.contact_list_breakdown or []
            if isinstance(row, dict)
            for zone in row.get("timezones") or []
        }
        rows.append(
            CampaignVersion(
                campaign_id=campaign.pk,
                source="first_mirrored",
                timezone=campaign.timezone,
                cron_expression=campaign.cron_expression,
                duration_minutes=campaign.duration_minutes,
                effective_start=campaign.effective_start,
                effective_end=campaign.effective_end,
                retry_policy=campaign.retry_policy or {},
                zones=sorted(zones),
                running=RUNNING.get(campaign.state),
                remote_version=campaign.remote_version,
                recorded_at=campaign.synced_at or now,
            )
        )
    CampaignVersion.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    """Every version a campaign's schedule has had, and the changes made in CXone behind the product's back
    (drift); WFM events name their campaign (a change in CXone has no activation)."""

    dependencies = [
        ('campaigns', '0012_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='webhookdelivery',
            name='campaign',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='webhook_deliveries', to='campaigns.campaign'),
        ),
        migrations.CreateModel(
            name='CampaignVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('first_mirrored', 'First mirrored'), ('approved', 'Approved here'), ('seen_in_cxone', 'Seen in CXone'), ('kept_from_cxone', 'Kept from CXone')], max_length=20)),
                ('timezone', models.CharField(blank=True, max_length=64, verbose_name='time zone')),
                ('cron_expression', models.CharField(blank=True, max_length=120)),
                ('duration_minutes', models.PositiveIntegerField(blank=True, null=True)),
                ('effective_start', models.DateTimeField(blank=True, null=True)),
                ('effective_end', models.DateTimeField(blank=True, null=True)),
                ('retry_policy', models.JSONField(blank=True, default=dict)),
                ('zones', models.JSONField(blank=True, default=list)),
                ('running', models.BooleanField(blank=True, help_text='Dialling (empty: CXone said neither).', null=True)),
                ('remote_version', models.PositiveIntegerField(default=0)),
                ('recorded_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='campaigns.campaign')),
                ('decided_by', models.ForeignKey(blank=True, help_text='Who approved it, or who kept it from CXone.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='campaign_versions_decided', to=settings.AUTH_USER_MODEL)),
                ('draft', models.ForeignKey(blank=True, help_text='The approved draft this version went live from.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='campaigns.scheduledraft')),
            ],
            options={
                'ordering': ['-recorded_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Drift',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed', models.JSONField(blank=True, default=list, help_text='What differs: ["schedule", "running", ...].')),
                ('first_seen_at', models.DateTimeField(db_index=True)),
                ('last_seen_at', models.DateTimeField()),
                ('answered_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('answer', models.CharField(blank=True, choices=[('kept', "Kept CXone's"), ('restoring', 'Restore approved'), ('reverted', 'Changed back in CXone'), ('replaced', 'Replaced by an approved draft')], max_length=16)),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='drifts_answered', to=settings.AUTH_USER_MODEL)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drifts', to='campaigns.campaign')),
                ('kept', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='kept_for', to='campaigns.campaignversion')),
                ('reference', models.ForeignKey(help_text='The version the campaign was held to when the change was first seen.', on_delete=django.db.models.deletion.CASCADE, related_name='drifts_held_to', to='campaigns.campaignversion')),
                ('restore_draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='restoring_drifts', to='campaigns.scheduledraft')),
                ('seen', models.ForeignKey(help_text='What CXone runs (the latest seen, when it changed again while open).', on_delete=django.db.models.deletion.CASCADE, related_name='drifts_seen', to='campaigns.campaignversion')),
            ],
            options={
                'ordering': ['-first_seen_at', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='campaignversion',
            index=models.Index(fields=['campaign', 'source'], name='version_of_campaign_by_source'),
        ),
        migrations.AddConstraint(
            model_name='campaignversion',
            constraint=models.UniqueConstraint(condition=models.Q(('source', 'approved')), fields=('draft',), name='one_approved_version_per_draft'),
        ),
        migrations.AddConstraint(
            model_name='drift',
            constraint=models.UniqueConstraint(condition=models.Q(('answered_at__isnull', True)), fields=('campaign',), name='one_open_drift_per_campaign'),
        ),
        migrations.AddConstraint(
            model_name='drift',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('answer', ''), ('answered_at__isnull', True)), models.Q(('answered_at__isnull', False), models.Q(('answer', ''), _negated=True)), _connector='OR'), name='drift_answered_with_an_answer'),
        ),
        migrations.RunPython(record_first_versions, migrations.RunPython.noop),
    ]
