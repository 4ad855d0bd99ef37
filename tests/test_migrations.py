from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_migrations_describe_the_models_as_they_are():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a model change has no migration
        pytest.fail(f"a model change has no migration (exit {exc.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
