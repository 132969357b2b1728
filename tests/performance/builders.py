"""Small row builders for hand-built datasets (one line per fact in a test)."""

from __future__ import annotations

import itertools

_ids = itertools.count(1)


def child(cid, dob="2007-01-15", sex="1", ethnicity="WHITE_BRITISH", **extra):
    return {"child_id": cid, "date_of_birth": dob, "sex": sex, "ethnicity": ethnicity, **extra}


def outcome(cid, oid, code, date, residence="LOCAL", appeal="NONE", **extra):
    return {"outcome_id": oid, "child_id": cid, "outcome_date": date, "outcome_code": code,
            "residence": residence, "appeal_status": appeal, **extra}


def intervention(cid, iid, oid, start, end, **extra):
    return {"intervention_id": iid, "child_id": cid, "outcome_id": oid, "start_date": start,
            "end_date": end, **extra}


def offence(cid, fid, date, category="THEFT_AND_HANDLING", gravity=3):
    return {"offence_id": fid, "child_id": cid, "offence_date": date, "category": category,
            "gravity_score": gravity}


def link(oid, fid):
    return {"outcome_id": oid, "offence_id": fid}


def status(table, cid, start, end=None, **values):
    key = {"accommodation": "accommodation_id", "ete": "ete_id", "send": "send_id",
           "care_status": "care_status_id", "mental_health": "mental_health_id",
           "substance_misuse": "substance_misuse_id"}[table]
    row = {key: f"{table[:3].upper()}{next(_ids)}", "child_id": cid, **values}
    if table in ("mental_health", "substance_misuse"):
        return row
    return {**row, "start_date": start, "end_date": end}


class Data(dict):
    """Collects rows per table: ``d.add('children', row, ...)``."""

    def add(self, table, *rows):
        self.setdefault(table, []).extend(rows)
        return self

    def order(self, cid, n, code, outcome_date, start, end, dob="2007-01-15", sex="1",
              ethnicity="WHITE_BRITISH", add_child=True, **extra):
        """A child (once) with an outcome and the intervention that carries it out."""
        if add_child and not any(c["child_id"] == cid for c in self.get("children", [])):
            self.add("children", child(cid, dob, sex, ethnicity))
        residence = extra.pop("residence", "LOCAL")
        appeal = extra.pop("appeal", "NONE")
        self.add("outcomes", outcome(cid, f"O{cid}-{n}", code, outcome_date, residence, appeal))
        self.add("interventions", intervention(cid, f"I{cid}-{n}", f"O{cid}-{n}", start, end,
                                               **extra))
        return f"O{cid}-{n}"
