from django.urls import path

from campaigns.views import campaigns, health

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("healthz", health.healthz, name="healthz"),
]
