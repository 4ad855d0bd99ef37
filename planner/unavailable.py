"""The database is down: a 503 page that says so, instead of a 500 that says nothing.

A view that meets the outage (the login checking a password, a page reading its rows) is answered by the
middleware; an outage met before the view (loading a signed-in user's session) reaches Django's handler500,
which hands it here too. The page needs neither the database nor a request: it is rendered without either.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

log = logging.getLogger("planner.unavailable")

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException) -> HttpResponse:
    log.warning(
        "database unavailable: %s: %s",
        type(exc).__name__,
        exc,
        extra={"event": "database_unavailable", "error": type(exc).__name__},
    )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(exception)
        return None


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 page when the error being handled is the database's, else Django's own 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable(exc)
    return defaults.server_error(request, template_name)
