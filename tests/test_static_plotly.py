"""plotly.js is ours: served from static files (no CDN), compressed by whitenoise and cached forever in
production, where collectstatic gives it a hashed name."""

from pathlib import Path

from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from plotly.offline import get_plotlyjs_version

BUNDLE = "vendor/plotly/plotly-cartesian-4.1.1.min.js"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_the_vendored_bundle_is_the_cartesian_build_that_plotly_7_1_ships():
    from django.conf import settings

    head = (Path(settings.BASE_DIR) / "static" / BUNDLE).read_text(encoding="utf-8")[:200]
    assert "plotly.js (cartesian - minified) v4.1.1" in head


def test_the_figures_are_validated_against_the_plotly_js_we_serve():
    # plotly.py checks each figure against the schema of the plotly.js it ships; the page draws with ours.
    assert f"-{get_plotlyjs_version()}.min.js" in BUNDLE


def test_in_production_the_bundle_is_hashed_gzipped_and_cached_forever(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES, WHITENOISE_USE_FINDERS=False, DEBUG=False
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        url = static(BUNDLE)
        assert url != f"/static/{BUNDLE}" and url.endswith(".js")  # a content hash in the name
        assert (tmp_path / (url.removeprefix("/static/") + ".gz")).exists()

        from whitenoise.middleware import WhiteNoiseMiddleware

        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
        assert int(response["Content-Length"]) < 600_000  # ~496 KB gzipped, not 1.5 MB
