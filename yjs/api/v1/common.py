"""Pieces every router uses: the user, pagination, JSON-safe values, forms fed from JSON."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django import forms as django_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from yjs.forms import DateField


def user_of(request):
    return request.auth


def require(request, perm: str, obj=None) -> None:
    if not user_of(request).has_perm(perm, obj):
        raise PermissionDenied


def page(items, limit: int, offset: int) -> tuple[list, int]:
    """One page of a queryset or list, and the total count."""
    if isinstance(items, list):
        return items[offset : offset + limit], len(items)
    return list(items[offset : offset + limit]), items.count()


def jsonable(value):
    """A value fit for JSON: dates as ISO text, decimals as text, records by id, bytes (a
    chart's picture) left out."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items() if not isinstance(v, bytes)}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value if not isinstance(v, bytes)]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | Path):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def form_data(form: django_forms.BaseForm, payload: dict) -> dict:
    """The posted data a page's form would receive for these JSON answers: a date as the three
    GOV.UK boxes, Yes/No as "True"/"False", a record by its id. The form then runs exactly the
    checks it runs for a person."""
    data = {}
    for name, value in payload.items():
        field = form.fields.get(name)
        if field is None or value is None:
            continue
        if isinstance(field, DateField):
            d = value if isinstance(value, datetime.date) else None
            if d is None:
                continue
            data.update({f"{name}_day": d.day, f"{name}_month": d.month, f"{name}_year": d.year})
        elif isinstance(field, django_forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, bool):
            data[name] = str(value)
        else:
            data[name] = str(value)
    return data


def bound(form_class, payload: dict, **kwargs):
    """A page's form bound to JSON answers (see `form_data`)."""
    unbound = form_class(**kwargs)
    return form_class(form_data(unbound, payload), **kwargs)


def raise_form_errors(form) -> None:
    """The form's errors, as the services' ValidationError: a 422 problem naming each field."""
    errors = {
        (name if name != "__all__" else "__all__"): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }
    raise ValidationError(errors)
