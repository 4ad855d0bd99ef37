from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from campaigns.login_forms import AdminLoginForm
from campaigns.sso import views as sso
from campaigns.views import sign_in
from campaigns.views.metrics import metrics

admin.site.login_form = AdminLoginForm
# The database down is a 503 page that says so (planner/unavailable.py), anything else Django's 500.
handler500 = "planner.unavailable.server_error"

urlpatterns = [
    path("login/", sign_in.login, name="login"),
    path("logout/", sign_in.logout, name="logout"),
    # The company's identity provider (OpenID Connect): the names mozilla-django-oidc reverses.
    path("oidc/authenticate/", login_not_required(sso.SignOnStart.as_view()), name="oidc_authentication_init"),
    path("oidc/callback/", login_not_required(sso.SignOnCallback.as_view()), name="oidc_authentication_callback"),
    path("admin/login/", sign_in.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),
    path("", include("campaigns.urls")),
]
