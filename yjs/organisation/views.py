"""Account pages: change password, the second factor (enrol or verify), and the staff list on
which an administrator resets a colleague's password or authenticator app."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yjs.permissions import requires_second_factor

from . import selectors, services
from .forms import ChangePasswordForm, SecurityCodeForm, TemporaryPasswordForm


class ChangePassword(PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "organisation/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        services.change_own_password(form.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)  # stay signed in on this device
        messages.success(self.request, "Your password has been changed")
        return redirect(self.get_success_url())


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("home")


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def second_factor(request):
    """Enter the code from the authenticator app; the first time, set the app up. Only for the
    roles that need it: nobody else is ever asked for a code, so nobody else sets one up."""
    if request.user.is_verified() or not requires_second_factor(request.user):
        return redirect(_next_url(request))
    device = selectors.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = services.enrolment_device(request.user)
    form = SecurityCodeForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            services.confirm_device(device)
        django_otp.login(request, device)
        return redirect(_next_url(request))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(
            scale=5, border=4
        )
        context["secret"] = _grouped(b32encode(device.bin_key).decode())
        context["issuer"] = settings.OTP_TOTP_ISSUER
    return render(request, "organisation/second_factor.html", context)


@permission_required("organisation.manage_staff", raise_exception=True)
def staff(request):
    return render(
        request,
        "organisation/staff.html",
        {"staff": selectors.staff_of_service(request.user)},
    )


def service_areas(request):
    """The service's own work beyond the cases, and its administration, as the user may open
    them (the "Service" menu item)."""
    from .context_processors import service_areas as areas_of

    areas = areas_of(request.user)
    if not areas:
        raise PermissionDenied
    return render(request, "organisation/service_areas.html", {"areas": areas})


def _colleague(request, pk: int):
    """A member of the administrator's own service (404 for anyone else's)."""
    colleague = get_object_or_404(selectors.staff_of_service(request.user), pk=pk)
    if not request.user.has_perm("organisation.reset_credentials", colleague):
        raise PermissionDenied
    return colleague


@permission_required("organisation.manage_staff", raise_exception=True)
def reset_password(request, pk: int):
    colleague = _colleague(request, pk)
    form = TemporaryPasswordForm(colleague, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_password(request.user, colleague, form.cleaned_data["new_password1"])
        messages.success(
            request,
            f"{colleague} has a temporary password. They must choose a new one when they "
            "next sign in",
        )
        return redirect("organisation:staff")
    return render(
        request, "organisation/reset_password.html", {"form": form, "colleague": colleague}
    )


@require_POST
@permission_required("organisation.manage_staff", raise_exception=True)
def reset_second_factor(request, pk: int):
    colleague = _colleague(request, pk)
    services.reset_second_factor(request.user, colleague)
    messages.success(
        request, f"{colleague} will set up an authenticator app when they next sign in"
    )
    return redirect("organisation:staff")
