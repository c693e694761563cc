from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/export.xlsx", views.need_export, name="need_export"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", views.need_transition, name="need_transition"),
    path("needs/<int:pk>/delete/", views.need_delete, name="need_delete"),
    path("needs/<int:pk>/attachments/", views.need_attachment_upload, name="need_attachment_upload"),
    path("attachments/<int:pk>/", views.need_attachment_download, name="need_attachment_download"),
    path("achievements/", views.achievement_list, name="achievement_list"),
    path("achievements/new/", views.achievement_create, name="achievement_create"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("achievements/<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("capabilities/", views.capability_list, name="capability_list"),
    path("capabilities/new/", views.capability_create, name="capability_create"),
    path("capabilities/<int:pk>/", views.capability_detail, name="capability_detail"),
    path("capabilities/<int:pk>/edit/", views.capability_edit, name="capability_edit"),
    path("my-publications/", views.my_publications, name="my_publications"),
    path("people/<int:pk>/publications/", views.person_publications, name="person_publications"),
    path("people/<int:pk>/publications/new/", views.publication_create, name="publication_create"),
    path("publications/<int:pk>/edit/", views.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/delete/", views.publication_delete, name="publication_delete"),
    path("publications/<int:pk>/toggle/<str:field>/", views.publication_toggle, name="publication_toggle"),
]
