from django.contrib import admin

from .models import Achievement, Capability, Need, NeedAttachment, NeedEvent, NeedGrant, Publication

_NEED_EVENT_FIELDS = ("at", "from_status", "to_status", "by", "note")


class NeedEventInline(admin.TabularInline):
    model = NeedEvent
    extra = 0
    fields = _NEED_EVENT_FIELDS
    readonly_fields = _NEED_EVENT_FIELDS
    can_delete = False


class NeedAttachmentInline(admin.TabularInline):
    model = NeedAttachment
    extra = 0
    fields = ["name", "file", "uploaded"]


class NeedGrantInline(admin.TabularInline):
    model = NeedGrant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Status changes belong to the lifecycle service (with history); the admin shows them read-only."""

    list_display = ["title", "owner", "kind", "status", "confidentiality", "deadline", "created"]
    list_filter = ["status", "confidentiality", "kind", "is_fictional"]
    search_fields = ["title", "title_en", "description", "owner__name", "external_id"]
    autocomplete_fields = ["owner", "industries", "disciplines", "named_organizations"]
    raw_id_fields = ["created_by", "status_changed_by"]
    readonly_fields = ["status", "status_changed", "status_changed_by"]
    inlines = [NeedEventInline, NeedAttachmentInline, NeedGrantInline]
    date_hierarchy = "created"


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["display_title", "kind", "owner", "organization", "patent_status", "trl", "visibility"]
    list_filter = ["kind", "patent_status", "visibility", "is_transferred", "is_fictional"]
    search_fields = ["title", "title_en", "patent_number", "owner__name", "external_id"]
    autocomplete_fields = ["owner", "co_owners", "organization", "industries", "disciplines"]


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "contact", "open_to_enterprises"]
    list_filter = ["kind", "open_to_enterprises"]
    search_fields = ["name", "name_en", "organization__name"]
    autocomplete_fields = ["organization", "contact", "industries"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "year", "venue", "pinned", "hidden_from_matching"]
    list_filter = ["pinned", "hidden_from_matching", "year"]
    search_fields = ["title", "doi", "person__name", "external_id"]
    autocomplete_fields = ["person"]
