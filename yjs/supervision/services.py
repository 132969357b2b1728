"""The rules of supervising an order, and the commands that record it (each one transaction,
audited through casework's `_save`).

Each record kind has a `*_problems(record) -> {field: message}` rule, registered with casework's
`services.register_record_kind` by the AppConfig, so the casework forms (`RecordForm`),
`save_record` and the record pages' "Change" refuse the same impossible records.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.models import Child, Outcome

from .models import (
    REFERRAL_ORDER,
    SUPERVISED_ORDERS,
    YRO,
    Appointment,
    Breach,
    Requirement,
    Warning,
)

K = Requirement.Kind

# A child given this many warnings for unacceptable failures to comply within 12 months is taken
# back to court at the next one: Sentencing Act 2020 (the Sentencing Code), Schedule 7,
# paragraph 4 (before it, Criminal Justice and Immigration Act 2008, Schedule 2, paragraphs 3 and
# 4): the responsible officer warns the child of an unacceptable failure, and must lay an
# information (begin breach proceedings) for a failure after two warnings within the 12 months
# (the "warned period"), unless there are exceptional circumstances. The rule is the YRO's; a
# referral order's contract goes back to the panel instead, so the alert is for YROs only.
WARNINGS_BEFORE_COURT = 2
WARNED_PERIOD_MONTHS = 12

YRO_REQUIREMENTS = frozenset(
    {
        K.ACTIVITY,
        K.SUPERVISION,
        K.UNPAID_WORK,
        K.PROGRAMME,
        K.ATTENDANCE_CENTRE,
        K.PROHIBITED_ACTIVITY,
        K.CURFEW,
        K.EXCLUSION,
        K.RESIDENCE,
        K.LA_RESIDENCE,
        K.FOSTERING,
        K.MENTAL_HEALTH,
        K.DRUG_TREATMENT,
        K.DRUG_TESTING,
        K.INTOXICATING_SUBSTANCE,
        K.EDUCATION,
        K.ELECTRONIC_MONITORING,
        K.ISS,
    }
)
CONTRACT_ELEMENTS = frozenset(set(K) - YRO_REQUIREMENTS)
# Sentencing Act 2020 Sch. 6 para 10: unpaid work of 40 to 240 hours, for a child aged 16 or 17
# when convicted (the order's date stands for it).
UNPAID_WORK_HOURS = range(40, 241)
UNPAID_WORK_AGES = range(16, 18)
# Sch. 6 para 18 (as amended by the Police, Crime, Sentencing and Courts Act 2022): a curfew of 2
# to 20 hours a day.
CURFEW_HOURS = range(2, 21)
# Requirements ending within this many days are an alert.
ENDING_SOON_DAYS = 14


def order_end(order: Outcome) -> datetime.date | None:
    """The day the order ends: its date plus its length in months, or as extended: a variation
    (`Outcome.varies`) gives the order's new length, counted from the order's own date, and the
    latest variation wins. Reads `varied_months` when the query annotated it
    (`selectors.supervised_orders`), else asks for the latest variation."""
    if hasattr(order, "varied_months"):
        varied = order.varied_months
    else:
        latest = order.variations.order_by("-outcome_date", "-id").first()
        varied = latest.length_months if latest else None
    months = varied or order.length_months
    if not months:
        return None
    return periods.add_months(order.outcome_date, months)


def order_problem(order: Outcome | None, child: Child | None) -> str | None:
    """Why this outcome cannot carry requirements, appointments, warnings or a breach."""
    if order is None:
        return None
    if child is not None and order.child_id != child.pk:
        return "Select an order of this child"
    if order.code not in SUPERVISED_ORDERS or order.varies_id:
        return "Select a youth rehabilitation order or a referral order"
    return None


def _within_order(order: Outcome, value, label: str) -> str | None:
    """A date inside the order: on or after its date, on or before its end."""
    if value is None:
        return None
    if value < order.outcome_date:
        return (
            f"{label} must be the same as or after the date of the order "
            f"({periods.long_date(order.outcome_date)})"
        )
    end = order_end(order)
    if end is not None and value > end:
        return (
            f"{label} must be the same as or before the end of the order ({periods.long_date(end)})"
        )
    return None


def _order_checks(record, problems: dict, child, dates: dict[str, str]) -> Outcome | None:
    order = record.order if record.order_id else None
    problem = order_problem(order, child)
    if problem:
        problems["order"] = problem
        return None
    if order is not None:
        for field, label in dates.items():
            message = _within_order(order, getattr(record, field), label)
            if message:
                problems.setdefault(field, message)
    return order


def requirement_problems(req: Requirement, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    order = _order_checks(
        req,
        problems,
        child,
        {
            "start_date": "Date the requirement starts",
            "planned_end_date": "Date the requirement ends",
        },
    )
    if order is not None and req.kind:
        if order.code == YRO and req.kind in CONTRACT_ELEMENTS:
            problems["kind"] = (
                "Select a youth rehabilitation order requirement: this is an element of a "
                "referral order contract"
            )
        elif order.code == REFERRAL_ORDER and req.kind in YRO_REQUIREMENTS:
            problems["kind"] = (
                "Select an element of the referral order contract: this is a youth "
                "rehabilitation order requirement"
            )
    if req.kind == K.CURFEW:
        if req.curfew_hours is None:
            problems["curfew_hours"] = "Enter how many hours a day the curfew lasts"
        elif req.curfew_hours not in CURFEW_HOURS:
            problems["curfew_hours"] = "A curfew must be from 2 to 20 hours a day"
    elif req.curfew_hours is not None:
        problems["curfew_hours"] = "Curfew hours are only for a curfew requirement"
    if req.kind == K.UNPAID_WORK:
        if order is not None and child is not None:
            age = periods.age_on(child.date_of_birth, order.outcome_date)
            if age not in UNPAID_WORK_AGES:
                problems["kind"] = (
                    f"Unpaid work is only for a child aged 16 or 17 when sentenced "
                    f"(this child was {age})"
                )
        if req.unit and req.unit != Requirement.Unit.HOURS:
            problems["unit"] = "Unpaid work is ordered in hours"
        if req.ordered is None:
            problems.setdefault("ordered", "Enter the hours of unpaid work ordered")
        elif req.ordered not in UNPAID_WORK_HOURS:
            problems.setdefault("ordered", "Unpaid work must be from 40 to 240 hours")
    if req.ordered is not None and not req.unit:
        problems.setdefault("unit", "Select whether the number ordered is hours, days or sessions")
    if req.completed:
        if req.ordered is None:
            problems.setdefault("ordered", "Enter the number ordered before the number completed")
        elif req.completed > req.ordered:
            problems.setdefault(
                "completed",
                f"Number completed must be the same as or less than the number ordered "
                f"({req.ordered})",
            )
    return problems


def appointment_problems(appt: Appointment, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    order = _order_checks(appt, problems, child, {"appointment_date": "Date of the appointment"})
    if order is not None and appt.requirement_id and appt.requirement.order_id != order.pk:
        problems["requirement"] = "Select a requirement of this order"
    return problems


def warning_problems(warning: Warning, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    order = _order_checks(warning, problems, child, {"warned_on": "Date the warning was given"})
    appt = warning.appointment if warning.appointment_id else None
    if appt is not None:
        if order is not None and appt.order_id != order.pk:
            problems["appointment"] = "Select a missed appointment of this order"
        elif appt.attendance != Appointment.Attendance.UNACCEPTABLE:
            problems["appointment"] = (
                "A warning is only for an unacceptable absence: select an appointment missed "
                "without an acceptable reason"
            )
        elif warning.warned_on and warning.warned_on < appt.appointment_date:
            problems.setdefault(
                "warned_on",
                "Date the warning was given must be the same as or after the missed "
                f"appointment ({periods.long_date(appt.appointment_date)})",
            )
    return problems


PANEL_RESULTS = {Breach.Result.PANEL_CONTINUED, Breach.Result.PANEL_TO_COURT}


def breach_problems(breach: Breach, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    order = _order_checks(breach, problems, child, {})
    if order is not None and breach.breach_date and breach.breach_date < order.outcome_date:
        problems["breach_date"] = (
            "Date breach proceedings began must be the same as or after the date of the order "
            f"({periods.long_date(order.outcome_date)})"
        )
    if order is not None and order.code == YRO and breach.proceedings == Breach.Proceedings.PANEL:
        problems["proceedings"] = "A youth rehabilitation order is taken back to court, not a panel"
    if (
        breach.result
        and breach.proceedings
        and ((breach.result in PANEL_RESULTS) != (breach.proceedings == Breach.Proceedings.PANEL))
    ):
        problems["result"] = (
            "Select a result the panel can give for a referral back to the panel, and one the "
            "court can give for a court"
        )
    if breach.result and not breach.result_date:
        problems.setdefault("result_date", "Enter the date of the result")
    if breach.result_date and not breach.result:
        problems.setdefault("result", "Select the result, or leave the date blank until known")
    if breach.result_date and breach.breach_date and breach.result_date < breach.breach_date:
        problems.setdefault(
            "result_date",
            "Date of the result must be the same as or after the date breach proceedings began",
        )
    return problems


RULES = {
    Requirement: requirement_problems,
    Appointment: appointment_problems,
    Warning: warning_problems,
    Breach: breach_problems,
}


# Commands -------------------------------------------------------------------------------


@transaction.atomic
def record_requirement(actor, requirement: Requirement) -> Requirement:
    return casework._save(actor, requirement, description=f"Recorded {requirement}")


@transaction.atomic
def record_appointment(
    actor, appointment: Appointment, *, warning: Warning | None = None
) -> Appointment:
    """An appointment, and with `warning` the warning given for it: both or neither."""
    casework._save(actor, appointment, description=f"Recorded {appointment}")
    if warning is not None:
        warning.child = appointment.child
        warning.order = appointment.order
        warning.appointment = appointment
        casework._save(actor, warning, description=f"Recorded {warning}")
    return appointment


@transaction.atomic
def record_warning(actor, warning: Warning) -> Warning:
    return casework._save(actor, warning, description=f"Recorded {warning}")


@transaction.atomic
def record_breach(actor, breach: Breach) -> Breach:
    return casework._save(actor, breach, description=f"Recorded {breach}")
