from django.contrib import admin

from .models import ConflictOfInterest


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "reason", "declared_by", "created"]
    search_fields = ["person__name", "person__name_en", "organization__name", "organization__name_en", "reason"]
    autocomplete_fields = ["person", "organization"]
    readonly_fields = ["declared_by", "created"]
