import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
application = get_wsgi_application()

# Fail at start, not on the first request, when the key is missing (reading an empty SECRET_KEY raises).
from django.conf import settings  # noqa: E402

settings.SECRET_KEY  # noqa: B018
