from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "phone", "preferred_language"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
