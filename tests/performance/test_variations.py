"""An extension or variation of an existing order (``outcomes.is_variation``) is a change to that
order, not a new outcome: it never makes a first time entrant, admits a child to a reoffending
cohort, proves a reoffence, brings an offence into KPI 9 again, counts as a custodial sentence or
is an event at any RRI stage (KPIS.md §3.1-3.3, §4 KPI 9, §5; docs/kpis.md "Variations").

Every test builds its story twice: with the variation flagged (``is_variation`` TRUE, the rule)
and with the same row unflagged, as if it were a new outcome (how the engine counted before the
fix). The hand-worked figures differ between the two, so each test fails if the flag is ignored.
Children are born on 1 January 2006-2008, so aged 10-17 at every event used here.
"""

from __future__ import annotations

import pytest

from tests.performance.builders import Data, link, offence
from tests.performance.conftest import northshire_population
from yjs.performance.engine import run


def _o(d, cid, oid, code, date, variation=False):
    d.add("outcomes", {"outcome_id": oid, "child_id": cid, "outcome_date": date,
                       "outcome_code": code, "residence": "LOCAL",
                       "is_variation": "true" if variation else "false"})


def _child(d, cid, dob="2007-01-01"):
    d.add("children", {"child_id": cid, "date_of_birth": dob, "sex": "1",
                       "ethnicity": "WHITE_BRITISH"})


# --- first time entrants ------------------------------------------------------------------

def fte_story(flag: bool) -> Data:
    """Reported for 2022-23 Q4: the FTE window is Jan-Dec 2022 (one-quarter lag).

    - VAL: only a variation of a referral order, 1 Apr 2022 (the order itself predates the
      data). Flagged: never a first substantive outcome, so not an FTE. Unflagged: FTE.
    - VERA: a variation of a YRO on 1 Oct 2021, then a youth caution on 1 May 2022. Flagged:
      the YRO it varies came before, so she is not an FTE (the caution is not her first
      substantive outcome). Unflagged: her first is 1 Oct 2021, before the window: not an FTE.
    - NOEL: a YRO on 1 Feb 2022 (FTE), varied on 1 Aug 2022: counts once either way.
    - SAM: a referral order and its variation the same day, 1 Mar 2022; the variation's id
      sorts first, yet the order is his first substantive outcome: FTE either way.
    """
    d = Data(population=northshire_population(10_000, year=2021))
    for cid in ("VAL", "VERA", "NOEL", "SAM"):
        _child(d, cid, dob="2008-01-01")
    _o(d, "VAL", "VAL-var", "REFERRAL_ORDER", "2022-04-01", variation=flag)
    _o(d, "VERA", "VERA-var", "YRO", "2021-10-01", variation=flag)
    _o(d, "VERA", "VERA-yc", "YOUTH_CAUTION", "2022-05-01")
    _o(d, "NOEL", "NOEL-yro", "YRO", "2022-02-01")
    _o(d, "NOEL", "NOEL-var", "YRO", "2022-08-01", variation=flag)
    _o(d, "SAM", "SAM-1-var", "REFERRAL_ORDER", "2022-03-01", variation=flag)
    _o(d, "SAM", "SAM-2-ro", "REFERRAL_ORDER", "2022-03-01")
    return d


def test_a_variation_is_never_a_first_substantive_outcome(dataset_dir, tmp_path):
    """Flagged: FTEs NOEL and SAM = 2; 2 / 10,000 x 100,000 = 20. Unflagged: VAL as well = 3,
    rate 30."""
    from tests.performance.conftest import write_dataset

    flagged = run(write_dataset(tmp_path / "on", **fte_story(True)), "2022-23 Q4", kpis=["fte"])
    rate = flagged.headline("fte")
    assert (rate.numerator, rate.denominator, rate.value) == (2, 10_000, 20.0)
    assert rate.numerator_child_ids == ["NOEL", "SAM"]
    unflagged = run(write_dataset(tmp_path / "off", **fte_story(False)), "2022-23 Q4",
                    kpis=["fte"])
    assert unflagged.headline("fte").numerator_child_ids == ["NOEL", "SAM", "VAL"]
    assert unflagged.headline("fte").value == 30.0


# --- proven reoffending ---------------------------------------------------------------------

def reoffending_story(flag: bool) -> Data:
    """Reported for 2022-23 Q3: the 3-month cohort is Apr-Jun 2021, the 12-month cohort
    Jul 2020 - Jun 2021.

    - VIC: his YRO of 1 Mar 2020 (before both cohorts) is varied on 1 May 2021. An offence of
      1 Jul 2021 is proven by a referral order on 1 Oct 2021. Flagged: the variation is no
      index event, so VIC is in no cohort. Unflagged: a member with 1 reoffence.
    - PAT: a YRO on 1 May 2021 (index). An offence of 1 Aug 2021 is linked only to a variation
      of the YRO on 1 Nov 2021; an offence of 1 Sep 2021 is proven by a youth caution on
      1 Dec 2021. Flagged: 1 proven reoffence. Unflagged: 2.
    - NED: a youth caution on 15 Apr 2021 (index), no further offence.
    """
    d = Data()
    for cid in ("VIC", "PAT", "NED"):
        _child(d, cid, dob="2006-01-01")
    _o(d, "VIC", "VIC-yro", "YRO", "2020-03-01")
    _o(d, "VIC", "VIC-var", "YRO", "2021-05-01", variation=flag)
    d.add("offences", offence("VIC", "VIC-f1", "2021-07-01"))
    _o(d, "VIC", "VIC-ro", "REFERRAL_ORDER", "2021-10-01")
    _o(d, "PAT", "PAT-yro", "YRO", "2021-05-01")
    d.add("offences", offence("PAT", "PAT-f1", "2021-08-01"),
          offence("PAT", "PAT-f2", "2021-09-01"))
    _o(d, "PAT", "PAT-var", "YRO", "2021-11-01", variation=flag)
    _o(d, "PAT", "PAT-yc", "YOUTH_CAUTION", "2021-12-01")
    _o(d, "NED", "NED-yc", "YOUTH_CAUTION", "2021-04-15")
    d.add("outcome_offences", link("VIC-ro", "VIC-f1"), link("PAT-var", "PAT-f1"),
          link("PAT-yc", "PAT-f2"))
    return d


@pytest.mark.parametrize("length", ["3m", "12m"])
def test_a_variation_neither_admits_to_the_cohort_nor_proves_a_reoffence(
    dataset_dir, tmp_path, length
):
    """Flagged: cohort PAT, NED = 2; reoffenders PAT = 1 -> 50.0%; reoffences 1 -> 0.50 per
    child, 1.00 per reoffender. Unflagged: cohort 3 (VIC too); reoffenders VIC, PAT = 2 ->
    66.7%; reoffences 1 + 2 = 3 -> 1.00 per child, 1.50 per reoffender. Both cohorts hold the
    same members (every index event is in Apr-Jun 2021)."""
    from tests.performance.conftest import write_dataset

    def figures(flag):
        folder = write_dataset(tmp_path / str(flag), **reoffending_story(flag))
        r = run(folder, "2022-23 Q3", kpis=["reoffending"])
        out = {}
        for m in ("binary", "frequency", "per_reoffender"):
            res = r.get("reoffending", f"{m}_{length}")
            out[m] = (res.numerator, res.denominator, res.value)
        out["cohort"] = sorted(r.get("reoffending", f"binary_{length}").denominator_child_ids)
        return out

    assert figures(True) == {"binary": (1, 2, 50.0), "frequency": (1, 2, 0.5),
                             "per_reoffender": (1, 1, 1.0), "cohort": ["NED", "PAT"]}
    assert figures(False) == {"binary": (2, 3, 66.7), "frequency": (3, 3, 1.0),
                              "per_reoffender": (3, 2, 1.5), "cohort": ["NED", "PAT", "VIC"]}


# --- KPI 9 serious violence -----------------------------------------------------------------

def kpi9_story(flag: bool) -> Data:
    """KAI's robbery (gravity 6, 1 Feb 2023) brought a YRO on 10 May 2023 (Q1), varied on
    15 Aug 2023 (Q2), the variation linked to the same offence. LEE: a violence-against-the-
    person offence (gravity 6) cautioned on 20 Jul 2023 and a theft (gravity 3) given a
    referral order on 1 Aug 2023, both Q2. Population 20,000 (mid-2022, used for 2023-24)."""
    d = Data(population=northshire_population(20_000, year=2022))
    _child(d, "KAI")
    _child(d, "LEE")
    d.add("offences", offence("KAI", "KAI-rob", "2023-02-01", "ROBBERY", 6),
          offence("LEE", "LEE-vap", "2023-06-01", "VIOLENCE_AGAINST_THE_PERSON", 6),
          offence("LEE", "LEE-theft", "2023-06-15", "THEFT_AND_HANDLING", 3))
    _o(d, "KAI", "KAI-yro", "YRO", "2023-05-10")
    _o(d, "KAI", "KAI-var", "YRO", "2023-08-15", variation=flag)
    _o(d, "LEE", "LEE-yc", "YOUTH_CAUTION", "2023-07-20")
    _o(d, "LEE", "LEE-ro", "REFERRAL_ORDER", "2023-08-01")
    d.add("outcome_offences", link("KAI-yro", "KAI-rob"), link("KAI-var", "KAI-rob"),
          link("LEE-yc", "LEE-vap"), link("LEE-ro", "LEE-theft"))
    return d


def test_kpi9_does_not_count_the_offence_again_in_the_variations_quarter(dataset_dir, tmp_path):
    """Q2 flagged: LEE's two offences, one SV: 1 / 20,000 x 10,000 = 0.50; 9a 1/2 = 50.0%;
    9b 1 of 1 child = 100.0%. Unflagged: KAI's robbery again, SV 2 -> 1.00; 9a 2/3 = 66.7%;
    9b 2/2. Q1 either way: KAI's robbery once, 0.50."""
    from tests.performance.conftest import write_dataset

    def figures(flag, quarter):
        folder = write_dataset(tmp_path / f"{flag}{quarter[-1]}", **kpi9_story(flag))
        r = run(folder, quarter, kpis=["kpi9"])
        return [(x.numerator, x.denominator, x.value) for x in (
            r.get("kpi9", "sv_rate"), r.get("kpi9", "sv_offences_share"),
            r.get("kpi9", "sv_children_share"))]

    assert figures(True, "2023-24 Q2") == [(1, 20_000, 0.5), (1, 2, 50.0), (1, 1, 100.0)]
    assert figures(False, "2023-24 Q2") == [(2, 20_000, 1.0), (2, 3, 66.7), (2, 2, 100.0)]
    assert figures(True, "2023-24 Q1")[0] == (1, 20_000, 0.5)


# --- use of custody -------------------------------------------------------------------------

def custody_story(flag: bool) -> Data:
    """Reported for 2023-24 Q3: Jan-Dec 2023, population 17,900 (mid-2022).

    - DAN: a DTO on 1 Oct 2022 (before the window); its licence extended on 1 Mar 2023.
    - EVE: a YRO on 1 Feb 2023, revoked for breach and resentenced to a DTO on 1 Jun 2023: a new
      custodial sentence (recorded as a new outcome, not a variation).
    - FAY: a DTO on 1 May 2023, varied on 1 Sep 2023.
    """
    d = Data(population=northshire_population(17_900, year=2022))
    for cid in ("DAN", "EVE", "FAY"):
        _child(d, cid)
    _o(d, "DAN", "DAN-dto", "DTO", "2022-10-01")
    _o(d, "DAN", "DAN-var", "DTO", "2023-03-01", variation=flag)
    _o(d, "EVE", "EVE-yro", "YRO", "2023-02-01")
    _o(d, "EVE", "EVE-dto", "DTO", "2023-06-01")
    _o(d, "FAY", "FAY-dto", "DTO", "2023-05-01")
    _o(d, "FAY", "FAY-var", "DTO", "2023-09-01", variation=flag)
    return d


def test_a_variation_of_a_custodial_sentence_is_not_a_new_custodial_sentence(
    dataset_dir, tmp_path
):
    """Flagged: EVE's and FAY's DTOs = 2; 2 / 17,900 x 1,000 = 0.1117 -> 0.11. Unflagged: DAN's
    and FAY's variations too = 4 -> 0.2235 -> 0.22. Custody as a share of court sentences
    (EVE's YRO is a court sentence too): flagged 2 of 3 = 66.7%, unflagged 4 of 5 = 80.0%."""
    from tests.performance.conftest import write_dataset

    def figures(flag):
        folder = write_dataset(tmp_path / str(flag), **custody_story(flag))
        r = run(folder, "2023-24 Q3", kpis=["custody", "custody_share"])
        return [(x.numerator, x.denominator, x.value)
                for x in (r.headline("custody"), r.headline("custody_share"))]

    assert figures(True) == [(2, 17_900, 0.11), (2, 3, 66.7)]
    assert figures(False) == [(4, 17_900, 0.22), (4, 5, 80.0)]


# --- relative rate index: every stage -------------------------------------------------------

def rri_story(flag: bool) -> Data:
    """Reported for 2023-24 Q2: events in Oct 2022 - Sep 2023; every child male.

    - FN: a youth caution on 1 Feb 2023: an FTE and an out-of-court disposal either way.
    - FV: only a variation of a YRO on 1 Mar 2023 (the order predates the data). Unflagged: an
      FTE and a court sentence.
    - OV: a YCC on 1 Jun 2022 (before the window), its conditions varied on 10 Jan 2023.
      Unflagged: an out-of-court disposal.
    - CV: a YRO on 1 May 2022, varied on 1 Apr 2023. Unflagged: a court sentence.
    - DV: a DTO on 1 Aug 2022, its licence extended on 1 May 2023. Unflagged: a court and a
      custodial sentence.
    - RM: remanded in custody on 1 Jun 2023: a remand either way. Remands are not outcomes, so
      the flag cannot reach this stage; DV's extension is no remand.
    """
    d = Data(population=northshire_population(10_000, year=2022))
    for cid in ("FN", "FV", "OV", "CV", "DV", "RM"):
        _child(d, cid)
    _o(d, "FN", "FN-yc", "YOUTH_CAUTION", "2023-02-01")
    _o(d, "FV", "FV-var", "YRO", "2023-03-01", variation=flag)
    _o(d, "OV", "OV-ycc", "YOUTH_CONDITIONAL_CAUTION", "2022-06-01")
    _o(d, "OV", "OV-var", "YOUTH_CONDITIONAL_CAUTION", "2023-01-10", variation=flag)
    _o(d, "CV", "CV-yro", "YRO", "2022-05-01")
    _o(d, "CV", "CV-var", "YRO", "2023-04-01", variation=flag)
    _o(d, "DV", "DV-dto", "DTO", "2022-08-01")
    _o(d, "DV", "DV-var", "DTO", "2023-05-01", variation=flag)
    d.add("remands", {"remand_id": "RM-1", "child_id": "RM", "decision_date": "2023-06-01",
                      "decision": "REMAND_IN_CUSTODY"})
    return d


@pytest.mark.parametrize("stage,flagged,unflagged", [
    ("fte", ["FN"], ["FN", "FV"]),
    ("oocd", ["FN"], ["FN", "OV"]),
    ("court", [], ["CV", "DV", "FV"]),
    ("custody", [], ["DV"]),
    ("remand", ["RM"], ["RM"]),
])
def test_a_variation_is_no_event_at_any_rri_stage(dataset_dir, tmp_path, stage, flagged,
                                                   unflagged):
    """Events among male children (the sex breakdown, population 5,000) per stage, worked from
    the story: flagged, only FN (FTE, OOCD) and RM (remand); unflagged, every variation counts
    at its stage as well. The remand stage is the same both ways (it reads remands, never
    outcomes): its case checks that a custodial variation is not taken for a remand."""
    from tests.performance.conftest import write_dataset

    def events(flag):
        folder = write_dataset(tmp_path / str(flag), **rri_story(flag))
        r = run(folder, "2023-24 Q2", kpis=["disproportionality"])
        res = r.get("disproportionality", f"rri_{stage}", "sex", "Male")
        assert res.denominator == 5_000
        assert res.numerator == len(res.numerator_child_ids)
        return sorted(res.numerator_child_ids)

    assert events(True) == flagged
    assert events(False) == unflagged


# --- KPIs 1-8 and 10: the programme ending is the unit ---------------------------------------

def test_a_programme_carrying_out_a_variation_still_puts_the_child_in_kpi_scope(dataset_dir):
    """KIM's YRO of 10 Jan 2023 was varied on 1 May 2023 and the programme recorded against the
    variation ends on 31 Aug 2023 (Q2). The order ended, so KIM is in the KPI 1 denominator
    (1 child, no accommodation record: 0 of 1 = 0.0%). This guards the choice in _scope.sql:
    excluding variations from the scope set would drop KIM (denominator 0, no value)."""
    d = Data()
    _child(d, "KIM")
    _o(d, "KIM", "KIM-yro", "YRO", "2023-01-10")
    _o(d, "KIM", "KIM-var", "YRO", "2023-05-01", variation=True)
    d.add("interventions", {"intervention_id": "KIM-i", "child_id": "KIM",
                            "outcome_id": "KIM-var", "start_date": "2023-05-01",
                            "end_date": "2023-08-31"})
    res = run(dataset_dir(**d), "2023-24 Q2", kpis=["kpi1"]).headline("kpi1")
    assert (res.numerator, res.denominator, res.value) == (0, 1, 0.0)
    assert res.denominator_child_ids == ["KIM"]
