"""Changes to staff accounts: passwords and second factors. Audited, like every other change."""

from __future__ import annotations

from axes.utils import reset as reset_lockouts
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from yjs.audit import services as audit

from .models import User

DEVICE_NAME = "Authenticator app"


def change_own_password(user: User, password: str) -> None:
    """The user chose a new password (validated by the form): any temporary one is gone."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


@transaction.atomic
def reset_password(actor: User, staff: User, temporary_password: str) -> None:
    """An administrator gives a colleague a temporary password; they must change it at their
    next sign-in. Their sessions end (the password hash changes) and any lockout is lifted."""
    staff.set_password(temporary_password)
    staff.must_change_password = True
    staff.save(update_fields=["password", "must_change_password"])
    reset_lockouts(username=staff.get_username())
    audit.record(actor, "UPDATE", staff, description=f"Reset the password of {staff}")


@transaction.atomic
def reset_second_factor(actor: User, staff: User) -> None:
    """A colleague lost their authenticator: they enrol a new one at their next sign-in."""
    TOTPDevice.objects.filter(user=staff).delete()
    audit.record(actor, "UPDATE", staff, description=f"Reset the two-factor app of {staff}")


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling (made on first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(device: TOTPDevice) -> None:
    """The first correct code from a new device confirms it; other unconfirmed ones go."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
