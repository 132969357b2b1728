from django import forms

from yjs.forms import GovukForm

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class NewTokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What will use it, so you can tell your tokens apart (for example "
        "'Team dashboard script')",
        error_messages={"required": "Enter a name for the token"},
    )
    days = forms.TypedChoiceField(
        label="When should it stop working?",
        choices=EXPIRY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the token should stop working"},
    )
