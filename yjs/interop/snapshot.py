"""Freeze the app's database into a snapshot of the canonical case-level dataset (Parquet).

The KPI engine never reads Django models: it reads a snapshot, so every figure can be reproduced
later from the same files. One Parquet file per table of ``yjs.performance.dataset`` (same
column names, types and codes), plus a manifest with row counts and SHA-256 of every file.
Children appear only under their keyed pseudonym (``yjs.interop.pseudonyms``), never by name.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from yjs.casework import models as cw
from yjs.codes import OUTCOME_BY_CODE, SECURE_REMANDS
from yjs.interop.pseudonyms import child_pseudonym
from yjs.organisation.models import EthnicPopulation, LookedAfterPopulation, PopulationEstimate
from yjs.performance import dataset
from yjs.performance.loader import file_sha256

MANIFEST = "manifest.json"
ARROW_TYPES = {
    dataset.VARCHAR: pa.string(),
    dataset.DATE: pa.date32(),
    dataset.INTEGER: pa.int32(),
    dataset.DOUBLE: pa.float64(),
    dataset.BOOLEAN: pa.bool_(),
}


def _blank(value):
    """Django stores 'not recorded' as ''; the dataset says NULL."""
    return None if value == "" else value


def _court(code: str) -> bool:
    return OUTCOME_BY_CODE[code].group in ("FIRST_TIER", "COMMUNITY", "CUSTODY")


def _first_hearing():
    """The earliest live hearing about any of an outcome's offences (yjs.court)."""
    from yjs.court.models import Hearing

    earliest = Hearing.objects.filter(offences__outcomes=OuterRef("pk")).order_by("hearing_date")
    return Subquery(earliest.values("hearing_date")[:1])


class _Reader:
    """Reads each table with one values() query (no per-row queries), for one service only:
    every row is reached through the service's children, local authorities or board."""

    def __init__(self, service=None):
        self.service = service
        self.child_ids = {
            pk: child_pseudonym(pk) for pk in self.live_children().values_list("pk", flat=True)
        }

    def live_children(self):
        """The service's children; an erased record's stub is nobody's data any more, and a
        duplicate merged into another record has none of its own."""
        return self.of(cw.Child, "service").filter(erased_at__isnull=True, merged_into__isnull=True)

    def of(self, model, path: str = "child__service"):
        """The model's rows that belong to the snapshot's service (all rows if no service).

        Casework models' default manager leaves voided records out (entered in error), so
        every row written is live and says `voided` FALSE; rows that rest on a voided one
        (a link, an intervention of a voided outcome) are left out where they are read."""
        if self.service is None:
            return model.objects.all()
        return model.objects.filter(**{path: self.service})

    def cid(self, pk):
        return self.child_ids[pk]

    def children(self):
        latest: dict[int, str] = {}
        for child_id, ethnicity in (
            self.of(cw.EthnicityRecord)
            .order_by("child_id", "recorded_on", "id")
            .values_list("child_id", "ethnicity")
        ):
            latest[child_id] = ethnicity  # the last one recorded wins
        for r in (
            self.live_children()
            .order_by("pk")
            .values("pk", "date_of_birth", "sex", "gender", "previous_substantive_outcome")
        ):
            yield {
                "child_id": self.cid(r["pk"]),
                "date_of_birth": r["date_of_birth"],
                "sex": _blank(r["sex"]),
                "gender": _blank(r["gender"]),
                "ethnicity": latest.get(r["pk"]),
                "previous_substantive_outcome": r["previous_substantive_outcome"],
                "deleted": False,
            }

    def _dated(self, model, prefix, id_column, **columns):
        fields = ["pk", "child_id", "start_date", "end_date", *columns.values()]
        for r in self.of(model).order_by("pk").values(*fields):
            row = {id_column: f"{prefix}{r['pk']}", "child_id": self.cid(r["child_id"])}
            row.update({name: _blank(r[source]) for name, source in columns.items()})
            row.update(start_date=r["start_date"], end_date=r["end_date"], voided=False)
            yield row

    def care_status(self):
        return self._dated(cw.CareStatus, "CS", "care_status_id", status="status")

    def send(self):
        return self._dated(
            cw.SendRecord, "SEND", "send_id", identified="identified", formal_plan="formal_plan"
        )

    def offences(self):
        for r in (
            self.of(cw.Offence)
            .order_by("pk")
            .values("pk", "child_id", "offence_date", "arrest_date", "category", "gravity_score")
        ):
            yield {
                "offence_id": f"O{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "offence_date": r["offence_date"],
                "arrest_date": r["arrest_date"],
                "category": _blank(r["category"]),
                "gravity_score": r["gravity_score"],
                "voided": False,
            }

    def outcomes(self):
        """A court outcome without its own first hearing date takes the earliest hearing
        recorded about its offences (court work), so timeliness reaches the KPIs."""
        for r in (
            self.of(cw.Outcome)
            .annotate(first_hearing_of_offences=_first_hearing())
            .order_by("pk")
            .values(
                "pk",
                "child_id",
                "outcome_date",
                "code",
                "first_hearing_date",
                "first_hearing_of_offences",
                "residence",
                "appeal_status",
                "is_variation",
            )
        ):
            yield {
                "outcome_id": f"OC{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "outcome_date": r["outcome_date"],
                "outcome_code": r["code"],
                "first_hearing_date": r["first_hearing_date"]
                or (r["first_hearing_of_offences"] if _court(r["code"]) else None),
                "residence": _blank(r["residence"]),
                "appeal_status": _blank(r["appeal_status"]),
                "is_variation": r["is_variation"],
                "outcome_text": OUTCOME_BY_CODE[r["code"]].label,
                "voided": False,
            }

    def outcome_offences(self):
        through = cw.Outcome.offences.through
        for outcome_id, offence_id in (
            self.of(through, "outcome__child__service")
            .filter(outcome__voided_at__isnull=True, offence__voided_at__isnull=True)
            .order_by("outcome_id", "offence_id")
            .values_list("outcome_id", "offence_id")
        ):
            yield {"outcome_id": f"OC{outcome_id}", "offence_id": f"O{offence_id}"}

    def interventions(self):
        """Programmes that carry out an outcome; prevention and support work has none."""
        for r in (
            self.of(cw.Intervention)
            .filter(outcome__isnull=False, outcome__voided_at__isnull=True)
            .order_by("pk")
            .values(
                "pk",
                "child_id",
                "outcome_id",
                "start_date",
                "end_date",
                "kind",
                "completed_successfully",
            )
        ):
            yield {
                "intervention_id": f"I{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "outcome_id": f"OC{r['outcome_id']}",
                "start_date": r["start_date"],
                "end_date": r["end_date"],
                "is_licence": r["kind"] == cw.Intervention.Kind.LICENCE,
                "kpi6_completed": r["completed_successfully"],
                "voided": False,
            }

    def accommodation(self):
        return self._dated(
            cw.AccommodationRecord,
            "A",
            "accommodation_id",
            accommodation_type="accommodation_type",
            suitability="suitability",
        )

    def ete(self):
        for row in self._dated(
            cw.EteRecord,
            "E",
            "ete_id",
            provision="provision",
            suitability="suitability",
            hours_offered="hours_offered",
            hours_attended="hours_attended",
        ):
            row["hours_offered"] = float(row["hours_offered"] or 0)
            row["hours_attended"] = float(row["hours_attended"] or 0)
            yield row

    def _health(self, model, prefix, id_column):
        for r in (
            self.of(model)
            .order_by("pk")
            .values(
                "pk",
                "child_id",
                "need_identified_on",
                "referred_on",
                "offered_on",
                "intervention_type",
                "attended_start",
                "attended_end",
            )
        ):
            yield {
                id_column: f"{prefix}{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "need_identified_date": r["need_identified_on"],
                "referred_date": r["referred_on"],
                "offered_date": r["offered_on"],
                "intervention_type": _blank(r["intervention_type"]),
                "attended_start_date": r["attended_start"],
                "attended_end_date": r["attended_end"],
                "voided": False,
            }

    def mental_health(self):
        return self._health(cw.MentalHealthRecord, "MH", "mental_health_id")

    def substance_misuse(self):
        return self._health(cw.SubstanceMisuseRecord, "SM", "substance_misuse_id")

    def remands(self):
        for r in (
            self.of(cw.Remand)
            .order_by("pk")
            .values("pk", "child_id", "start_date", "decision", "end_date")
        ):
            yield {
                "remand_id": f"R{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "decision_date": r["start_date"],
                "decision": r["decision"],
                "end_date": r["end_date"],
                "voided": False,
            }

    def custody_episodes(self):
        """Sentenced episodes, then secure remands (the dataset holds both, KPIS.md §2.4)."""
        for r in (
            self.of(cw.CustodyEpisode)
            .filter(outcome__voided_at__isnull=True)
            .order_by("pk")
            .values("pk", "child_id", "outcome_id", "establishment", "start_date", "release_date")
        ):
            yield {
                "custody_episode_id": f"CE{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "outcome_id": f"OC{r['outcome_id']}",
                "establishment": _blank(r["establishment"]),
                "start_date": r["start_date"],
                "release_date": r["release_date"],
                "voided": False,
            }
        secure = ("YOI", "STC", "SCH")
        for r in (
            self.of(cw.Remand)
            .filter(decision__in=SECURE_REMANDS)
            .order_by("pk")
            .values("pk", "child_id", "establishment", "start_date", "end_date")
        ):
            yield {
                "custody_episode_id": f"CR{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "outcome_id": None,
                "establishment": r["establishment"] if r["establishment"] in secure else None,
                "start_date": r["start_date"],
                "release_date": r["end_date"],
                "voided": False,
            }

    def referral_order_panels(self):
        for r in (
            self.of(cw.ReferralOrderPanel, "intervention__child__service")
            .filter(
                intervention__outcome__isnull=False,
                intervention__voided_at__isnull=True,
                intervention__outcome__voided_at__isnull=True,
            )
            .order_by("pk")
            .values(
                "pk",
                "panel_type",
                "panel_date",
                child=F("intervention__child_id"),
                outcome=F("intervention__outcome_id"),
            )
        ):
            yield {
                "panel_id": f"P{r['pk']}",
                "child_id": self.cid(r["child"]),
                "outcome_id": f"OC{r['outcome']}",
                "panel_type": r["panel_type"],
                "panel_date": r["panel_date"],
                "voided": False,
            }

    def parenting(self):
        """Parenting work (yjs.parenting): kind, dates and completion only. Who receives it, the
        programme, the court and the notes stay in the case system. Residence is the child's
        as recorded (the case system keeps one, not one per date)."""
        try:
            from yjs.parenting.models import ParentingWork
        except ImportError:  # parenting not installed: the indicator has no data
            return
        for r in (
            self.of(ParentingWork)
            .order_by("pk")
            .values(
                "pk",
                "child_id",
                "kind",
                "start_date",
                "end_date",
                "completed_successfully",
                residence=F("child__residence"),
            )
        ):
            yield {
                "parenting_id": f"PW{r['pk']}",
                "child_id": self.cid(r["child_id"]),
                "kind": r["kind"],
                "start_date": r["start_date"],
                "end_date": r["end_date"],
                "completed": r["completed_successfully"],
                "residence": _blank(r["residence"]),
                "voided": False,
            }

    def victims(self):
        for r in (
            self.of(cw.Victim, "service")
            .order_by("pk")
            .values(
                "pk",
                "victim_type",
                "consent_to_contact",
                "rj_engaged",
                "view_sought",
                "progress_requested",
                "progress_provided",
                "support_requested",
                "support_provided",
                "contacted_on",
            )
        ):
            row = {
                "victim_id": f"V{r.pop('pk')}",
                "contact_date": r.pop("contacted_on"),
                "voided": False,
            }
            row.update({k: _blank(v) for k, v in r.items()})
            yield row

    def victim_offences(self):
        through = cw.Victim.offences.through
        for victim_id, offence_id in (
            self.of(through, "victim__service")
            .filter(victim__voided_at__isnull=True, offence__voided_at__isnull=True)
            .order_by("victim_id", "offence_id")
            .values_list("victim_id", "offence_id")
        ):
            yield {"victim_id": f"V{victim_id}", "offence_id": f"O{offence_id}"}

    def board_meetings(self):
        try:
            from yjs.governance.models import BoardMeeting
        except ImportError:  # governance not installed: KPI 7 has no data
            return
        for pk, meeting_date in (
            self.of(BoardMeeting, "service").order_by("pk").values_list("pk", "meeting_date")
        ):
            yield {"meeting_id": f"M{pk}", "meeting_date": meeting_date}

    def board_attendance(self):
        try:
            from yjs.governance.models import BoardAttendance
        except ImportError:
            return
        for r in (
            self.of(BoardAttendance, "meeting__service")
            .order_by("meeting_id", "sector")
            .values("meeting_id", "sector", "attendance", "new_partner", "disproportionality_data")
        ):
            yield {**r, "meeting_id": f"M{r['meeting_id']}"}

    def population(self):
        for r in (
            self.of(PopulationEstimate, "local_authority__service")
            .order_by("year", "local_authority__ons_code", "age", "sex")
            .values("year", "age", "sex", "count", la=F("local_authority__ons_code"))
        ):
            yield {
                "year": r["year"],
                "local_authority": r["la"],
                "age": r["age"],
                "sex": r["sex"],
                "population": r["count"],
            }

    def population_groups(self):
        """Census ethnic groups, and looked-after / not looked-after children, summed over the
        service's local authorities (not looked after = ONS 10-17 total minus looked after)."""
        yield from self._ethnic_groups()
        everyone: dict[int, int] = {}
        for year, count in (
            self.of(PopulationEstimate, "local_authority__service")
            .filter(age__gte=10, age__lte=17)
            .values_list("year", "count")
        ):
            everyone[year] = everyone.get(year, 0) + count
        looked_after: dict[int, int] = {}
        for year, count in self.of(LookedAfterPopulation, "local_authority__service").values_list(
            "year", "count"
        ):
            looked_after[year] = looked_after.get(year, 0) + count
        for year, count in sorted(looked_after.items()):
            yield {
                "year": year,
                "dimension": "CARE_STATUS",
                "category": "LOOKED_AFTER",
                "population": count,
            }
            if year in everyone:
                yield {
                    "year": year,
                    "dimension": "CARE_STATUS",
                    "category": "NOT_LOOKED_AFTER",
                    "population": everyone[year] - count,
                }

    def _ethnic_groups(self):
        totals: dict[tuple[int, str], int] = {}
        for year, group, count in self.of(EthnicPopulation, "local_authority__service").values_list(
            "year", "ethnicity_group", "count"
        ):
            totals[(year, group)] = totals.get((year, group), 0) + count
        for (year, group), count in sorted(totals.items()):
            yield {
                "year": year,
                "dimension": "ETHNICITY_GROUP",
                "category": group,
                "population": count,
            }


def arrow_schema(table: dataset.Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns])


def _to_arrow(table: dataset.Table, rows: Iterable[dict]) -> pa.Table:
    names = table.column_names
    columns: dict[str, list] = {n: [] for n in names}
    for row in rows:
        if row.keys() != columns.keys():
            raise ValueError(
                f"{table.name}: row has columns {sorted(row)}, the dataset defines {sorted(names)}"
            )
        for n in names:
            columns[n].append(row[n])
    return pa.table(columns, schema=arrow_schema(table))


def _new_folder(root: Path, now: dt.datetime) -> Path:
    name = now.strftime("%Y-%m-%dT%H%M%S")
    folder, n = root / name, 1
    while folder.exists() or folder.with_name(folder.name + ".partial").exists():
        n += 1
        folder = root / f"{name}-{n}"
    return folder


def the_service(service=None):
    """The service a snapshot is for: the one named, else the only one there is.

    A snapshot never mixes services; with several services the caller must say which.
    """
    from yjs.organisation.models import Service

    if service is not None:
        return service
    services = list(Service.objects.order_by("pk")[:2])
    if len(services) > 1:
        raise ValueError("there are several services: name one (--service CODE)")
    return services[0] if services else None


def service_root(service, out_dir: Path | None = None) -> Path:
    """Where a service's snapshots live: one private folder per service."""
    root = Path(out_dir) if out_dir else Path(settings.SNAPSHOT_DIR)
    if not out_dir and service is not None:
        root = root / service.code
    private_dir(root)
    return root


def private_dir(path: Path) -> None:
    """A folder only the service user can read (snapshots hold child-level data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)


def take_snapshot(
    out_dir: Path | None = None,
    *,
    service=None,
    as_at: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    extra_files: dict[str, str] | None = None,
) -> Path:
    """Write one service's canonical dataset to a new dated folder; return it.

    The folder (under ``out_dir``, default ``settings.SNAPSHOT_DIR/<service code>``) is written
    beside itself and renamed when complete, so a reader never sees half a snapshot; it and
    its files are readable by the service user only (0700 / 0600).
    """
    service = the_service(service)
    now = timezone.localtime()
    as_at = as_at or now.date()
    root = service_root(service, out_dir)
    folder = _new_folder(root, now)
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(mode=0o700)
    try:
        reader = _Reader(service)
        files, counts = {}, {}
        for table in dataset.TABLES:
            if progress:
                progress(table.name)
            arrow = _to_arrow(table, getattr(reader, table.name)())
            path = partial / f"{table.name}.parquet"
            pq.write_table(arrow, path, compression="zstd")
            counts[table.name] = arrow.num_rows
            files[table.name] = {"file": path.name, "rows": arrow.num_rows,
                                 "sha256": file_sha256(path)}
        manifest = {
            "taken_at": now.isoformat(timespec="seconds"),
            "as_at": as_at.isoformat(),
            "source": "yjs app database",
            "service": service.code if service else None,
            "dataset": "yjs canonical case-level dataset (docs/dataset.md)",
            "row_counts": counts,
            "files": files,
        }
        text = json.dumps(manifest, indent=2) + "\n"
        (partial / MANIFEST).write_text(text)
        if dataset.SNAPSHOT_MANIFEST != MANIFEST:  # the loader's name for the same record
            (partial / dataset.SNAPSHOT_MANIFEST).write_text(text)
        for name, content in (extra_files or {}).items():
            (partial / name).write_text(content)
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder
