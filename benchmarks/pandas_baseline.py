"""The naive baseline: a subset of the KPI suite written directly in pandas, same files, same rules.

Covers first time entrants, use of custody, proven reoffending (3-month binary), KPI 1 and
KPI 2 headlines, KPI 6 and KPI 9 - the KPIs that touch the largest tables - so its time and
memory can be set against the DuckDB engine on the same work. It is deliberately written the
way an analyst would in a notebook: read whole tables, merge, filter, group.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from yjs import codes
from yjs.periods import fte_window, parse_quarter, population_year, rolling_12_months

OUTCOME = pd.DataFrame([o.__dict__ for o in codes.OUTCOMES]).rename(
    columns={"code": "outcome_code"})


def _read(folder: Path, name: str) -> pd.DataFrame:
    p = folder / f"{name}.parquet"
    if p.exists():
        df = pd.read_parquet(p)
    else:
        df = pd.read_csv(folder / f"{name}.csv", dtype=str)
    for col in df.columns:
        if col.endswith("_date") or col == "date_of_birth":
            df[col] = pd.to_datetime(df[col], errors="coerce")
    return df


def _age(dob: pd.Series, on: pd.Series) -> pd.Series:
    before = (on.dt.month * 100 + on.dt.day) < (dob.dt.month * 100 + dob.dt.day)
    return on.dt.year - dob.dt.year - before.astype(int)


def run(folder: str | Path, period: str, as_at: dt.date) -> dict[str, float | None]:
    folder = Path(folder)
    q = parse_quarter(period)
    ts = pd.Timestamp
    as_at_ts = ts(as_at)
    children = _read(folder, "children")
    children = children[~children["deleted"].fillna(False).astype(bool)]
    outcomes = _read(folder, "outcomes").merge(OUTCOME, on="outcome_code", how="left")
    outcomes = outcomes[(outcomes["outcome_date"] <= as_at_ts)
                        & ~outcomes["appeal_status"].isin(["CHANGED_ON_APPEAL", "SUCCESSFUL"])]
    outcomes = outcomes.merge(children[["child_id", "date_of_birth"]], on="child_id")
    flag = outcomes["is_variation"] if "is_variation" in outcomes else False
    outcomes["is_variation"] = pd.Series(flag, index=outcomes.index).fillna(False).astype(str) \
        .str.lower().isin(["true", "1"])
    with_variations = outcomes  # FTE's "first ever" and the programmes of KPIs 1-8 keep them
    outcomes = outcomes[~outcomes["is_variation"]]  # a variation is not a new outcome
    local = outcomes[outcomes["residence"] != "OTHER"]
    pop_year = population_year(q)
    population = _read(folder, "population")
    pop = population[(population["year"] == pop_year) & population["age"].between(10, 17)][
        "population"].sum()
    out: dict[str, float | None] = {}

    # FTE: first ever substantive outcome in the lagged window
    w = fte_window(q)
    # (a variation as the earliest record means its order came first: not an FTE)
    subst = with_variations[with_variations["substantive"] == True].sort_values(  # noqa: E712
        ["child_id", "outcome_date", "is_variation", "rank", "outcome_id"])
    first = subst.groupby("child_id").head(1)
    first = first[(first["residence"] != "OTHER") & ~first["is_variation"]
                  & first["outcome_date"].between(ts(w.start), ts(w.end))
                  & _age(first["date_of_birth"], first["outcome_date"]).between(10, 17)]
    out["fte_rate"] = round(len(first) / pop * 100_000) if pop else None

    # custody
    r12 = rolling_12_months(q)
    hearing = local["first_hearing_date"].fillna(local["outcome_date"])
    cust = local[(local["group"] == "CUSTODY")
                 & local["outcome_date"].between(ts(r12.start), ts(q.end))
                 & _age(local["date_of_birth"], hearing).between(10, 17)]
    n = len(cust.drop_duplicates(["child_id", "outcome_date", "outcome_code"]))
    out["custody_rate"] = round(n / pop * 1000, 2) if pop else None

    # reoffending, 3-month cohort Q-6
    cq = q.previous(6)
    idx = local[(local["outcome_code"].isin(["YOUTH_CAUTION", "YOUTH_CONDITIONAL_CAUTION",
                                             "REPRIMAND", "FINAL_WARNING"])
                 | local["group"].isin(["FIRST_TIER", "COMMUNITY"]))
                & local["outcome_date"].between(ts(cq.start), ts(cq.end))]
    episodes = _read(folder, "custody_episodes").merge(
        local[["outcome_id", "date_of_birth"]], on="outcome_id")
    episodes = episodes[episodes["release_date"].between(ts(cq.start), ts(min(cq.end, as_at)))]
    events = pd.concat([idx[["child_id", "outcome_date", "date_of_birth"]].rename(
        columns={"outcome_date": "index_date"}),
        episodes[["child_id", "release_date", "date_of_birth"]].rename(
            columns={"release_date": "index_date"})])
    events = events[_age(events["date_of_birth"], events["index_date"]).between(10, 17)]
    cohort = events.sort_values("index_date").groupby("child_id").head(1)
    offences = _read(folder, "offences")
    cat = dict(codes.OFFENCE_CATEGORIES)
    offences = offences[~offences["category"].isin(codes.BREACH_CATEGORIES)
                        & offences["category"].isin(list(cat))]
    links = _read(folder, "outcome_offences")
    proven = links.merge(outcomes[outcomes["substantive"] == True][  # noqa: E712
        ["outcome_id", "outcome_date"]], on="outcome_id")
    re = cohort.merge(offences, on="child_id").merge(proven, on="offence_id")
    re = re[(re["offence_date"] > re["index_date"])
            & (re["offence_date"] <= re["index_date"] + pd.DateOffset(months=12))
            & (re["outcome_date"] <= re["index_date"] + pd.DateOffset(months=18))]
    reoffenders = re["child_id"].nunique()
    out["binary_3m"] = round(reoffenders / len(cohort) * 100, 1) if len(cohort) else None

    # scope set for KPIs 1, 2, 6
    programmes = with_variations[with_variations["residence"] != "OTHER"]
    inter = _read(folder, "interventions").merge(
        programmes[["outcome_id", "child_id", "outcome_date", "outcome_code", "type_of_order",
                    "rank", "date_of_birth"]], on=["outcome_id", "child_id"])
    inter = inter[inter["type_of_order"].notna()
                  & inter["end_date"].between(ts(max(q.start, dt.date(2023, 4, 1))),
                                              ts(min(q.end, as_at)))]
    inter["order_start"] = inter["start_date"].where(inter["type_of_order"] != "CUST",
                                                     inter["start_date"] - pd.Timedelta(days=1))
    inter = inter[_age(inter["date_of_birth"], inter["start_date"]).between(10, 17)]
    cand = inter
    scope = inter.sort_values(["child_id", "rank", "outcome_date", "end_date", "intervention_id"],
                              ascending=[True, True, False, False, True]).groupby(
        "child_id").head(1)

    def suitable_at_end(table: str, extra=None) -> float | None:
        recs = _read(folder, table).merge(scope[["child_id", "order_start", "end_date"]]
                                          .rename(columns={"end_date": "order_end"}),
                                          on="child_id")
        recs = recs[(recs["start_date"] <= recs["order_end"])
                    & (recs["end_date"].isna() | (recs["end_date"] >= recs["order_end"]))]
        ok = recs["suitability"] == "SUITABLE"
        if extra is not None:
            ok &= ~recs["accommodation_type"].isin(extra)
        recs = recs.assign(ok=ok)
        per_child = recs.groupby("child_id")["ok"].all()
        n = int(per_child.sum())
        return round(n / len(scope) * 100, 1) if len(scope) else None

    out["kpi1"] = suitable_at_end("accommodation", codes.ALWAYS_UNSUITABLE_ACCOMMODATION)
    out["kpi2"] = suitable_at_end("ete")

    oocd = cand[cand["type_of_order"].isin(["NS_OOCD", "YC", "YCC"])].sort_values(
        ["child_id", "rank", "outcome_date", "end_date", "intervention_id"],
        ascending=[True, True, False, False, True]).groupby("child_id").head(1)
    done = oocd["kpi6_completed"].fillna(False).astype(bool).sum()
    out["kpi6"] = round(done / len(oocd) * 100, 1) if len(oocd) else None

    # KPI 9
    k9 = local[local["outcome_date"].between(ts(max(q.start, dt.date(2023, 4, 1))), ts(q.end))
               & local["type_of_order"].notna() & (local["type_of_order"] != "NS_OOCD")]
    k9 = k9.merge(links, on="outcome_id").merge(
        _read(folder, "offences")[["offence_id", "child_id", "offence_date", "category",
                                   "gravity_score"]], on=["offence_id", "child_id"])
    k9 = k9.sort_values(["child_id", "offence_id", "rank", "outcome_date"],
                        ascending=[True, True, True, False]).groupby(
        ["child_id", "offence_id"]).head(1)
    court = k9["group"].isin(["FIRST_TIER", "COMMUNITY", "CUSTODY"])
    age_on = k9["first_hearing_date"].fillna(k9["outcome_date"]).where(court, k9["offence_date"])
    k9 = k9[_age(k9["date_of_birth"], age_on).between(10, 17)]
    sv = k9["category"].isin(codes.SERIOUS_VIOLENCE_CATEGORIES) & k9["gravity_score"].between(5, 8)
    out["kpi9"] = round(int(sv.sum()) / pop * 10_000, 2) if pop else None
    return out
