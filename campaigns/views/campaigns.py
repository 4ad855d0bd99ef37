from django.shortcuts import render


def home(request):
    return render(request, "campaigns/home.html")


def campaign_list(request):
    return render(request, "campaigns/campaign_list.html")
