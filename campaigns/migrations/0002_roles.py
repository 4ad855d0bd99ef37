"""Create the planner, supervisor and manager groups with their permissions (see campaigns/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from campaigns.roles import ROLE_PERMISSIONS, install_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist before groups refer to them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    install_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
