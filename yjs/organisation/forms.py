"""Password and second-factor forms, with GOV.UK widgets and messages."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils import timezone

PASSWORD_HINT = (
    "At least 12 characters. Not a common password, not only numbers and not like your name "
    "or username. A few unrelated words work well."
)


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": autocomplete}
    )


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].widget = _password_input("current-password")
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].widget = _password_input("new-password")
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].widget = _password_input("new-password")
        self.error_messages["password_incorrect"] = "Your current password is not correct"
        self.error_messages["password_mismatch"] = "The new passwords do not match"

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError("Your new password must be different from your current one")
        return new


class TemporaryPasswordForm(SetPasswordForm):
    """An administrator sets a colleague's temporary password (the same rules apply)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Temporary password"
        self.fields["new_password1"].help_text = (
            PASSWORD_HINT + " Give it to them in person or by phone, never by e-mail."
        )
        self.fields["new_password1"].widget = _password_input("new-password")
        self.fields["new_password2"].label = "Confirm temporary password"
        self.fields["new_password2"].widget = _password_input("new-password")
        self.error_messages["password_mismatch"] = "The passwords do not match"


class SecurityCodeForm(forms.Form):
    """The 6-digit code from an authenticator app, checked against one TOTP device; django-otp
    throttles the device after each wrong code (1 s, 2 s, 4 s … before the next try)."""

    otp_token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit security code"},
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = re.sub(r"[\s-]", "", self.cleaned_data["otp_token"])
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError("The security code must be 6 digits")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                f"Too many wrong codes. Wait {self._wait_seconds()} seconds and try again"
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                "The security code is not correct or has expired. Enter the code shown now"
            )
        return token

    def _wait_seconds(self) -> int:
        device = self.device
        delay = device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1)
        until = device.throttling_failure_timestamp + datetime.timedelta(seconds=delay)
        return max(1, int((until - timezone.now()).total_seconds()) + 1)
