"""Reads about staff accounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def staff_of_service(user: User) -> QuerySet[User]:
    """The staff an administrator may manage: their own service's, with whether each has a
    confirmed authenticator app. Empty for a user without a service."""
    if user.service_id is None:
        return User.objects.none()
    return (
        User.objects.filter(service_id=user.service_id)
        .select_related("team")
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
            )
        )
        .order_by("last_name", "first_name", "username")
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
