from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns.login_forms import AdminLoginForm, LoginForm
from campaigns.views.metrics import metrics

admin.site.login_form = AdminLoginForm
# The database down is a 503 page that says so (planner/unavailable.py), anything else Django's 500.
handler500 = "planner.unavailable.server_error"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),
    path("", include("campaigns.urls")),
]
