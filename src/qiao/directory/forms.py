from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organization, OrganizationKind, Person, PersonKind


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganizationKind.choices])
    region = forms.CharField(label=_("Region code"), required=False)
    industry = forms.CharField(label=_("Industry code"), required=False)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *PersonKind.choices])
    organization = forms.IntegerField(label=_("Organization"), required=False, widget=forms.HiddenInput)
    discipline = forms.CharField(label=_("Discipline code"), required=False)


class MajorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    college = forms.IntegerField(label=_("College"), required=False, widget=forms.HiddenInput)
    discipline = forms.CharField(label=_("Discipline code"), required=False)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "kind", "name", "name_en", "short_name", "parent", "region", "description", "description_en", "website",
            "address", "credit_code", "size", "is_high_tech", "specialised_level", "founded", "employees",
            "industries",
        ]
        widgets = {"industries": forms.SelectMultiple(attrs={"size": 8})}


class PersonForm(forms.ModelForm):
    expertise_keywords = forms.CharField(
        label=_("Expertise keywords"), required=False, help_text=_("Separate keywords with commas (，or ,)."),
    )

    class Meta:
        model = Person
        fields = ["name", "name_en", "kind", "title", "email", "phone", "orcid", "expertise_keywords", "bio",
                  "bio_en", "disciplines", "opted_out_of_matching"]
        widgets = {"disciplines": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance and isinstance(self.instance.expertise_keywords, list):
            self.initial["expertise_keywords"] = ", ".join(self.instance.expertise_keywords)

    def clean_expertise_keywords(self) -> list[str]:
        raw = self.cleaned_data.get("expertise_keywords") or ""
        parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",")]
        return [p for p in parts if p]
