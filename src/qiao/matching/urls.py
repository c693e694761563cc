from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("needs/<int:pk>/", views.need_matches, name="need_matches"),
    path("for-me/", views.for_me, name="for_me"),
    path("market/", views.market, name="market"),
    path("search/", views.search, name="search"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
]
