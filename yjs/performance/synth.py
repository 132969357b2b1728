"""Synthetic canonical datasets at any scale (Parquet), for benchmarks and demos.

Entirely made up: random children, offences, outcomes and the records KPIs read, with plausible
proportions. Vectorised with numpy so a million children take a minute or so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from yjs import codes
from yjs.performance.dataset import TABLE_BY_NAME

EPOCH = dt.date(1970, 1, 1)
FIRST_DAY = (dt.date(2019, 1, 1) - EPOCH).days
LAST_DAY = (dt.date(2025, 9, 30) - EPOCH).days

OUTCOME_MIX = {  # code: share of outcomes
    "COMMUNITY_RESOLUTION": 0.18, "OUTCOME_22": 0.08, "OUTCOME_22_DEFERRED": 0.03,
    "OUTCOME_20_21": 0.02, "YOUTH_CAUTION": 0.13, "YOUTH_CONDITIONAL_CAUTION": 0.07,
    "REFERRAL_ORDER": 0.18, "YRO": 0.09, "DTO": 0.02, "S250_DETENTION": 0.004,
    "S259_DETENTION": 0.001, "FINE": 0.05, "CONDITIONAL_DISCHARGE": 0.06,
    "REPARATION_ORDER": 0.02, "NO_FURTHER_ACTION": 0.075,
}
# The new framework's codes, rare (docs/kpis.md, "New outcome codes"): a share of the outcomes
# of the same kind is recoded with a random stream of its own, so every other figure of a
# seed stays as it was (an Outcome 23 is a deferred prosecution like Outcome 22 deferred; a
# youth diversion order, like NFA, has no tier and no type of order).
RECODED = {"OUTCOME_22_DEFERRED": ("OUTCOME_23", 0.3),
           "NO_FURTHER_ACTION": ("YOUTH_DIVERSION_ORDER", 0.02)}


def _recode_new_codes(code: np.ndarray, seed: int) -> np.ndarray:
    draw = np.random.default_rng([seed, 23]).random(len(code))
    code = code.copy()
    for old, (new, share) in RECODED.items():
        code[(code == old) & (draw < share)] = new
    return code
ETHNICITY_MIX = {"WHITE_BRITISH": 0.70, "WHITE_OTHER": 0.05, "MIXED_WHITE_BLACK_CARIBBEAN": 0.03,
                 "MIXED_OTHER": 0.02, "BLACK_AFRICAN": 0.04, "BLACK_CARIBBEAN": 0.03,
                 "ASIAN_PAKISTANI": 0.04, "ASIAN_INDIAN": 0.03, "ASIAN_BANGLADESHI": 0.01,
                 "OTHER_ANY": 0.02, "NOT_STATED": 0.03}
DURATION_DAYS = {"NS_OOCD": (60, 120), "YC": (60, 120), "YCC": (60, 120), "RO": (180, 365),
                 "YRO": (270, 730), "CUST": (180, 730)}


def _choice(rng, mix: dict, n: int) -> np.ndarray:
    keys = np.array(list(mix))
    p = np.array(list(mix.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _ids(prefix: str, n: int, start: int = 0) -> pa.Array:
    return pa.array([f"{prefix}{i:07d}" for i in range(start, start + n)])


def _dates(days: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("int32"), type=pa.date32(),
                    mask=null_mask if null_mask is not None else None)


def _write(out: Path, name: str, columns: dict) -> int:
    table = TABLE_BY_NAME[name]
    arrays, fields = [], []
    for col in table.columns:
        if col.name not in columns:
            continue
        arrays.append(columns[col.name])
        fields.append(col.name)
    t = pa.table(dict(zip(fields, arrays, strict=True)))
    pq.write_table(t, out / f"{name}.parquet", compression="zstd")
    return t.num_rows


def generate(children: int, out: str | Path, seed: int = 0,
             progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write a synthetic dataset with ``children`` children to ``out``; return row counts."""
    rng = np.random.default_rng(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def done(name, n):
        counts[name] = n
        if progress:
            progress(name, n)

    n = children
    # children: aged 10-17 at some time in 2019-2025
    dob = rng.integers((dt.date(2001, 10, 1) - EPOCH).days, (dt.date(2014, 6, 30) - EPOCH).days,
                       n)
    child_ids = np.array([f"C{i:07d}" for i in range(n)])
    sex = rng.choice(np.array(["1", "2", "0"]), n, p=[0.78, 0.21, 0.01])
    ethnicity = _choice(rng, ETHNICITY_MIX, n)
    done("children", _write(out, "children", {
        "child_id": pa.array(child_ids), "date_of_birth": _dates(dob), "sex": pa.array(sex),
        "ethnicity": pa.array(ethnicity), "deleted": pa.array(rng.random(n) < 0.001)}))

    # offences: ~3 per child, committed from the tenth birthday
    per_child = 1 + rng.poisson(2.0, n)
    owner = np.repeat(np.arange(n), per_child)
    m = len(owner)
    tenth = dob[owner] + 3653
    start = np.maximum(tenth, FIRST_DAY)
    span = np.maximum(np.minimum(dob[owner] + 18 * 365, LAST_DAY) - start, 1)
    offence_day = start + (rng.random(m) * span).astype(int)
    offence_ids = np.array([f"F{i:08d}" for i in range(m)])
    categories = np.array([c for c, _ in codes.OFFENCE_CATEGORIES])
    category = categories[rng.choice(len(categories), m, p=_category_weights(categories))]
    gravity = rng.integers(1, 9, m).astype(float)
    gravity[rng.random(m) < 0.02] = np.nan
    done("offences", _write(out, "offences", {
        "offence_id": pa.array(offence_ids), "child_id": pa.array(child_ids[owner]),
        "offence_date": _dates(offence_day), "category": pa.array(category),
        # arrest 0-14 days after the offence, not recorded for one in ten; drawn from the offence
        # number rather than the generator, so every other column keeps its values
        "arrest_date": _dates(offence_day + np.arange(m) % 15, np.arange(m) % 10 == 9),
        "gravity_score": pa.array(gravity, type=pa.int32(), from_pandas=True)}))

    # outcomes: one per offence (92%), 1-6 months after it
    has_outcome = rng.random(m) < 0.92
    oi = np.flatnonzero(has_outcome)
    k = len(oi)
    code = _recode_new_codes(_choice(rng, OUTCOME_MIX, k), seed)
    outcome_day = offence_day[oi] + rng.integers(7, 180, k)
    outcome_ids = np.array([f"O{i:08d}" for i in range(k)])
    court = np.isin(code, [o.code for o in codes.OUTCOMES
                           if o.group in ("FIRST_TIER", "COMMUNITY", "CUSTODY")])
    hearing = outcome_day - rng.integers(0, 60, k)
    residence = rng.choice(np.array(["LOCAL", "OTHER", "NOT_KNOWN"]), k, p=[0.92, 0.05, 0.03])
    appeal = rng.choice(np.array(["NONE", "PENDING", "SUCCESSFUL"]), k, p=[0.99, 0.005, 0.005])
    o_child = child_ids[owner[oi]]
    done("outcomes", _write(out, "outcomes", {
        "outcome_id": pa.array(outcome_ids), "child_id": pa.array(o_child),
        "outcome_date": _dates(outcome_day), "outcome_code": pa.array(code),
        "first_hearing_date": _dates(hearing, ~court), "residence": pa.array(residence),
        "appeal_status": pa.array(appeal), "is_variation": pa.array(rng.random(k) < 0.005)}))
    done("outcome_offences", _write(out, "outcome_offences", {
        "outcome_id": pa.array(outcome_ids), "offence_id": pa.array(offence_ids[oi])}))

    # interventions for outcomes with a type of order
    type_of = {o.code: o.type_of_order for o in codes.OUTCOMES}
    tor = np.array([type_of.get(c) or "" for c in code])
    ii = np.flatnonzero(tor != "")
    j = len(ii)
    i_start = outcome_day[ii] + rng.integers(0, 15, j)
    low = np.array([DURATION_DAYS[t][0] for t in tor[ii]])
    high = np.array([DURATION_DAYS[t][1] for t in tor[ii]])
    i_end = i_start + (low + rng.random(j) * (high - low)).astype(int)
    i_open = (i_end > LAST_DAY) | (rng.random(j) < 0.03)
    oocd = np.isin(tor[ii], ["NS_OOCD", "YC", "YCC"])
    completed = np.where(rng.random(j) < 0.85, True, False)
    completed_mask = ~oocd | (rng.random(j) < 0.05)
    int_ids = np.array([f"I{i:08d}" for i in range(j)])
    i_child = o_child[ii]
    done("interventions", _write(out, "interventions", {
        "intervention_id": pa.array(int_ids), "child_id": pa.array(i_child),
        "outcome_id": pa.array(outcome_ids[ii]), "start_date": _dates(i_start),
        "end_date": _dates(i_end, i_open),
        "kpi6_completed": pa.array(completed, mask=completed_mask)}))

    # status records around each intervention
    def records(share, before=(0, 400)):
        pick = np.flatnonzero(rng.random(j) < share)
        s = i_start[pick] - rng.integers(before[0], before[1], len(pick))
        e = s + rng.integers(30, 900, len(pick))
        open_ = rng.random(len(pick)) < 0.5
        return pick, s, e, open_

    pick, s, e, open_ = records(0.95)
    accommodation = np.array([c for c, _, _ in codes.ACCOMMODATION])
    acc_p = np.ones(len(accommodation))
    acc_p[list(accommodation).index("LIVING_WITH_PARENTS")] = 40
    acc_p[list(accommodation).index("AT_HOME")] = 10
    done("accommodation", _write(out, "accommodation", {
        "accommodation_id": _ids("A", len(pick)), "child_id": pa.array(i_child[pick]),
        "accommodation_type": pa.array(accommodation[rng.choice(len(accommodation), len(pick),
                                                                p=acc_p / acc_p.sum())]),
        "suitability": pa.array(rng.choice(np.array(["SUITABLE", "UNSUITABLE", "UNKNOWN"]),
                                           len(pick), p=[0.85, 0.1, 0.05])),
        "start_date": _dates(s), "end_date": _dates(e, open_)}))

    pick, s, e, open_ = records(0.9)
    provisions = np.array([c for c, _, _ in codes.ETE_PROVISION])
    done("ete", _write(out, "ete", {
        "ete_id": _ids("E", len(pick)), "child_id": pa.array(i_child[pick]),
        "provision": pa.array(provisions[rng.integers(0, len(provisions), len(pick))]),
        "suitability": pa.array(rng.choice(np.array(["SUITABLE", "UNSUITABLE", "UNKNOWN"]),
                                           len(pick), p=[0.7, 0.2, 0.1])),
        "hours_offered": pa.array(rng.integers(0, 31, len(pick)).astype(float)),
        "hours_attended": pa.array(rng.integers(0, 26, len(pick)).astype(float)),
        "start_date": _dates(s), "end_date": _dates(e, open_)}))

    pick, s, e, open_ = records(0.25)
    done("send", _write(out, "send", {
        "send_id": _ids("S", len(pick)), "child_id": pa.array(i_child[pick]),
        "identified": pa.array(rng.choice(np.array(["YES", "NO"]), len(pick), p=[0.8, 0.2])),
        "formal_plan": pa.array(rng.choice(np.array(["YES", "NO"]), len(pick), p=[0.5, 0.5])),
        "start_date": _dates(s), "end_date": _dates(e, open_)}))

    pick, s, e, open_ = records(0.35)
    statuses = np.array([c for c, _ in codes.CARE_STATUS_CHOICES])
    done("care_status", _write(out, "care_status", {
        "care_status_id": _ids("K", len(pick)), "child_id": pa.array(i_child[pick]),
        "status": pa.array(statuses[rng.integers(0, len(statuses), len(pick))]),
        "start_date": _dates(s), "end_date": _dates(e, open_)}))

    for name, prefix, types in (
            ("mental_health", "M", [c for c, _ in codes.MENTAL_HEALTH_INTERVENTIONS]),
            ("substance_misuse", "U", [c for c, _ in codes.SUBSTANCE_MISUSE_INTERVENTIONS])):
        pick = np.flatnonzero(rng.random(j) < 0.3)
        p = len(pick)
        need = i_start[pick] + rng.integers(-200, 120, p)
        offered = need + rng.integers(0, 60, p)
        attended = offered + rng.integers(0, 30, p)
        no_offer = rng.random(p) < 0.2
        no_attend = no_offer | (rng.random(p) < 0.3)
        done(name, _write(out, name, {
            f"{name}_id": _ids(prefix, p), "child_id": pa.array(i_child[pick]),
            "need_identified_date": _dates(need), "offered_date": _dates(offered, no_offer),
            "intervention_type": pa.array(np.array(types)[rng.integers(0, len(types), p)]),
            "attended_start_date": _dates(attended, no_attend),
            # still attending on the as-at date: no end date yet (never a date in the future)
            "attended_end_date": _dates(attended + 90, no_attend | (rng.random(p) < 0.5)
                                        | (attended + 90 > LAST_DAY))}))

    # remands before court outcomes, custody episodes for custodial sentences
    ci = np.flatnonzero(court)
    pick = ci[rng.random(len(ci)) < 0.08]
    decisions = np.array([c for c, _ in codes.REMAND_CHOICES])
    rem_p = np.array([0.12, 0.02, 0.2, 0.04, 0.02, 0.02, 0.03, 0.25, 0.25, 0.05])
    done("remands", _write(out, "remands", {
        "remand_id": _ids("R", len(pick)), "child_id": pa.array(o_child[pick]),
        "decision_date": _dates(hearing[pick]),
        "decision": pa.array(decisions[rng.choice(len(decisions), len(pick), p=rem_p)]),
        "end_date": _dates(outcome_day[pick])}))
    cust = np.flatnonzero(np.isin(code, ["DTO", "S250_DETENTION", "S259_DETENTION"]))
    release = outcome_day[cust] + rng.integers(60, 400, len(cust))
    done("custody_episodes", _write(out, "custody_episodes", {
        "custody_episode_id": _ids("X", len(cust)), "child_id": pa.array(o_child[cust]),
        "outcome_id": pa.array(outcome_ids[cust]),
        "establishment": pa.array(rng.choice(np.array(["YOI", "STC", "SCH"]), len(cust))),
        "start_date": _dates(outcome_day[cust]),
        "release_date": _dates(release, release > LAST_DAY)}))
    ro = np.flatnonzero(code == "REFERRAL_ORDER")
    panel = outcome_day[ro] + rng.integers(5, 40, len(ro))
    done("referral_order_panels", _write(out, "referral_order_panels", {
        "panel_id": _ids("P", len(ro)), "child_id": pa.array(o_child[ro]),
        "outcome_id": pa.array(outcome_ids[ro]), "panel_type": pa.array(["INITIAL"] * len(ro)),
        "panel_date": _dates(panel, panel > LAST_DAY)}))

    # parenting work for about one child in eight, from a generator of its own so every other
    # table keeps its values for a seed: mostly voluntary support, few contracts, rare orders
    prng = np.random.default_rng([seed, 11])
    pw = np.flatnonzero(prng.random(j) < 0.12)
    q = len(pw)
    pw_start = np.minimum(i_start[pw] + prng.integers(0, 60, q), LAST_DAY)
    pw_end = pw_start + prng.integers(56, 120, q)
    pw_open = (pw_end > LAST_DAY) | (prng.random(q) < 0.05)
    pw_kind = prng.choice(np.array(["VOLUNTARY", "PARENTING_CONTRACT", "PARENTING_ORDER"]), q,
                          p=[0.85, 0.1, 0.05])
    done("parenting", _write(out, "parenting", {
        "parenting_id": _ids("W", q), "child_id": pa.array(i_child[pw]),
        "kind": pa.array(pw_kind), "start_date": _dates(pw_start),
        "end_date": _dates(pw_end, pw_open),
        "completed": pa.array(prng.random(q) < 0.7, mask=pw_open | (prng.random(q) < 0.03)),
        "residence": pa.array(prng.choice(np.array(["LOCAL", "OTHER", "NOT_KNOWN"]), q,
                                          p=[0.92, 0.05, 0.03]))}))

    # victims of 40% of offences
    vi = np.flatnonzero(rng.random(m) < 0.4)
    v = len(vi)
    yes_no = np.array(["YES", "NO"])

    def yn(p_yes):
        return pa.array(yes_no[(rng.random(v) >= p_yes).astype(int)])

    victim_ids = _ids("V", v)
    done("victims", _write(out, "victims", {
        "victim_id": victim_ids,
        "victim_type": pa.array(rng.choice(np.array(["INDIVIDUAL", "ORGANISATION"]), v,
                                           p=[0.8, 0.2])),
        "consent_to_contact": yn(0.6), "rj_engaged": yn(0.4), "view_sought": yn(0.7),
        "progress_requested": yn(0.5), "progress_provided": yn(0.8),
        "support_requested": yn(0.3), "support_provided": yn(0.7),
        "contact_date": _dates(offence_day[vi] + 30, rng.random(v) < 0.3)}))
    done("victim_offences", _write(out, "victim_offences", {
        "victim_id": victim_ids, "offence_id": pa.array(offence_ids[vi])}))

    # board: about six meetings a year, every sector recorded
    meeting_days = np.arange(FIRST_DAY, LAST_DAY, 61)
    meetings = [f"B{i:04d}" for i in range(len(meeting_days))]
    sectors = [c for c, _ in codes.BOARD_SECTORS]
    done("board_meetings", _write(out, "board_meetings", {
        "meeting_id": pa.array(meetings), "meeting_date": _dates(meeting_days)}))
    att_m = np.repeat(meetings, len(sectors))
    done("board_attendance", _write(out, "board_attendance", {
        "meeting_id": pa.array(att_m), "sector": pa.array(sectors * len(meetings)),
        "attendance": pa.array(rng.choice(np.array(["SENIOR", "DELEGATED", "NONE"]), len(att_m),
                                          p=[0.6, 0.3, 0.1])),
        "new_partner": pa.array(rng.random(len(att_m)) < 0.05),
        "disproportionality_data": pa.array(rng.random(len(att_m)) < 0.3)}))

    # population: about eight times the children known, split over ages and sexes
    per_cell = max(1, n * 8 // 16)
    years = list(range(2017, 2026))
    rows = [(y, a, s) for y in years for a in range(10, 18) for s in ("1", "2")]
    done("population", _write(out, "population", {
        "year": pa.array([r[0] for r in rows], type=pa.int32()),
        "local_authority": pa.array(["Synthshire"] * len(rows)),
        "age": pa.array([r[1] for r in rows], type=pa.int32()),
        "sex": pa.array([r[2] for r in rows]),
        "population": pa.array([per_cell] * len(rows), type=pa.int32())}))
    total = per_cell * 16
    shares = {"WHITE": 0.78, "MIXED": 0.06, "BLACK": 0.06, "ASIAN": 0.08, "OTHER": 0.02}
    groups = [("ETHNICITY_GROUP", g, int(total * s)) for g, s in shares.items()]
    groups += [("CARE_STATUS", "LOOKED_AFTER", int(total * 0.007)),
               ("CARE_STATUS", "NOT_LOOKED_AFTER", total - int(total * 0.007))]
    done("population_groups", _write(out, "population_groups", {
        "year": pa.array([2021] * len(groups), type=pa.int32()),
        "dimension": pa.array([g[0] for g in groups]),
        "category": pa.array([g[1] for g in groups]),
        "population": pa.array([g[2] for g in groups], type=pa.int32())}))

    (out / "snapshot.json").write_text(json.dumps({
        "taken_at": dt.datetime.now().isoformat(timespec="seconds"),
        "as_at": (EPOCH + dt.timedelta(days=LAST_DAY)).isoformat(),
        "source": f"yj synth --children {children} --seed {seed} (synthetic)",
        "row_counts": counts}, indent=2) + "\n")
    return counts


def _category_weights(categories: np.ndarray) -> np.ndarray:
    weights = {"VIOLENCE_AGAINST_THE_PERSON": 30, "THEFT_AND_HANDLING": 15, "CRIMINAL_DAMAGE": 10,
               "DRUGS": 8, "ROBBERY": 5, "PUBLIC_ORDER": 8, "MOTORING_OFFENCES": 6,
               "BURGLARY": 4, "BREACH_OF_STATUTORY_ORDER": 4, "SEXUAL_OFFENCES": 2}
    w = np.array([weights.get(c, 1) for c in categories], dtype=float)
    return w / w.sum()
