from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.import_start, name="start"),
    path("templates/<str:kind>.<str:fmt>", import_views.import_template, name="template"),
    path("<int:pk>/", import_views.import_job_detail, name="job_detail"),
    path("<int:pk>/errors.csv", import_views.import_job_errors, name="job_errors"),
]
