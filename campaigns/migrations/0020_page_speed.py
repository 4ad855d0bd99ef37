"""Indexes for the pages of 10 000 campaigns: the campaign list reads its page of 25 in index order (gone from
CXone last, then by name) instead of sorting every campaign; the names of the contact lists a page's conflicts
mention are found by their id; a planner's notices find the audit entries of their own drafts by object."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0019_calendar_attachments"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="campaign",
            index=models.Index(
                models.ExpressionWrapper(models.Q(missing_since__isnull=False), output_field=models.BooleanField()),
                models.F("name"),
                models.F("cxone_id"),
                name="campaign_list_order",
            ),
        ),
        migrations.AddIndex(
            model_name="campaign",
            index=models.Index(fields=["contact_list_id"], name="campaign_contact_list"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ),
    ]
