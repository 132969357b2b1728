"""The shapes the API sends and takes (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Generic, TypeVar

from ninja import Path, Query, Schema
from pydantic import Field

# The largest id a path may name: within every database's 64-bit integer (a larger number is
# a 422, not an overflow inside the database driver).
MAX_ID = 2**62
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})")
]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]
Text = Annotated[str, Field(max_length=2000)]
SearchText = Annotated[str, Query(max_length=500, description="Words to find")]

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


class ChildSummary(Schema):
    id: int
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    team: str
    allocated_worker: str | None
    closed_on: datetime.date | None


class OpenIntervention(Schema):
    id: int
    kind: str
    kind_label: str
    start_date: datetime.date
    planned_end_date: datetime.date | None


class ChildRecord(ChildSummary):
    sex: str
    gender: str
    ethnicity: str | None
    home_local_authority: str | None
    residence: str
    pnc_number: str
    closure_reason: str
    erased: bool
    merged_into: int | None
    open_interventions: list[OpenIntervention]
    record_counts: dict[str, int]
    record_types: list[str]


class SearchResult(Schema):
    query: str
    count: int
    more: bool
    shortened: bool
    items: list[ChildSummary]
    known_elsewhere: list[dict[str, Any]]


class CaseloadChild(ChildSummary):
    last_contact: datetime.date | None
    risk_of_serious_harm: str | None
    likelihood_of_reoffending: str | None
    review_due: datetime.date | None
    open_interventions: list[OpenIntervention]


class CaseRecordOut(Schema):
    id: int
    record_type: str
    title: str
    voided: bool
    revision: int | None
    fields: dict[str, Any]


class OffenceIn(Schema):
    description: Text
    offence_date: datetime.date
    arrest_date: datetime.date | None = None
    category: Annotated[str, Field(max_length=60)]
    gravity_score: int | None = None


class ContactIn(Schema):
    contact_date: datetime.date
    contact_type: Annotated[str, Field(max_length=40)]
    mode: Annotated[str, Field(max_length=40)]
    attended: bool
    notes: Text = ""


class InterventionIn(Schema):
    kind: Annotated[str, Field(max_length=40)]
    start_date: datetime.date
    planned_end_date: datetime.date | None = None
    outcome: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    worker: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    team: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class AssessmentIn(Schema):
    kind: Annotated[str, Field(max_length=40)]
    completed_on: datetime.date
    likelihood_of_reoffending: Annotated[str, Field(max_length=40)] = ""
    risk_of_serious_harm: Annotated[str, Field(max_length=40)] = ""
    safety_and_wellbeing: Annotated[str, Field(max_length=40)] = ""
    needs: Text = ""
    review_due: datetime.date | None = None


class KpiFigure(Schema):
    kpi: str
    measure: str
    label: str | None = None
    period: str | None = None
    window: str | None = None
    dimension: str
    category: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    unit: str | None = None
    suppressed: bool | None = None


class KpiResults(Schema):
    period: str
    snapshot: str
    refreshing: bool
    items: list[KpiFigure]


class DrillChild(Schema):
    pseudonym: str
    in_numerator: bool
    in_denominator: bool
    why: str
    child_id: int | None = None
    reference: str | None = None
    name: str | None = None


class Drill(Schema):
    kpi: str
    measure: str
    period: str
    dimension: str
    category: str
    snapshot: str
    named: bool
    outside_reach: int
    figure: KpiFigure | None
    count: int
    limit: int
    offset: int
    items: list[DrillChild]


class PlanSummary(Schema):
    id: int
    title: str
    start_year: int
    years: int
    latest_version: int | None
    status: str | None


class PlanVersionOut(Schema):
    number: int
    year: int | None
    status: str


class PlanOut(PlanSummary):
    versions: list[PlanVersionOut]
    version: int
    context: dict[str, Any]


class BoardPackOut(Schema):
    quarter: str
    named: bool
    context: dict[str, Any]
