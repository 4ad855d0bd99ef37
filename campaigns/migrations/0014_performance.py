"""Indexes for a large contact centre: the activations and webhooks pages read the newest rows of 100 000 and
200 000 without sorting them all; the dashboards count activations by approval time."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0013_admin_tenant"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activation",
            index=models.Index(fields=["-created_at", "-id"], name="activation_newest_first"),
        ),
        migrations.AddIndex(
            model_name="activation",
            index=models.Index(fields=["approved_at"], name="activation_by_approval"),
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(fields=["-created_at", "-id"], name="delivery_newest_first"),
        ),
    ]
