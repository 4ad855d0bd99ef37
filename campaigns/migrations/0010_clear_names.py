from django.db import migrations


class Migration(migrations.Migration):
    """One meaning per name: a draft's flag "CXone moved past its base version" is not the STALE status, and an
    activation's due time is its next push attempt as well as its next read."""

    dependencies = [("campaigns", "0009_metric_counters")]

    operations = [
        migrations.RenameField("scheduledraft", "stale_since", "behind_remote_since"),
        migrations.RenameField("activation", "next_poll_at", "due_at"),
    ]
