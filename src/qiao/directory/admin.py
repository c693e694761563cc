from django.contrib import admin

from .models import Discipline, IndustryCategory, Major, Organization, Person, Region


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "parent", "region", "specialised_level", "is_high_tech"]
    list_filter = ["kind", "specialised_level", "is_high_tech", "is_fictional"]
    search_fields = ["name", "name_en", "short_name", "credit_code"]
    autocomplete_fields = ["parent", "region", "industries", "disciplines"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "title", "organization"]
    list_filter = ["kind", "is_fictional"]
    search_fields = ["name", "name_en", "email", "orcid"]
    autocomplete_fields = ["organization", "affiliations", "disciplines", "user"]


@admin.register(Major)
class MajorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "college", "degree_level"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["college", "discipline", "industries"]


@admin.register(IndustryCategory, Discipline, Region)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
