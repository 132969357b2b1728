"""KPIs 6-10: out-of-court disposals, board attendance, wider services, serious violence
(KPIS.md §6.1 example 4) and victims."""

from tests.performance.builders import Data, link, offence, status
from tests.performance.conftest import northshire_population
from yjs.performance.engine import run

Q2 = "2023-24 Q2"


def test_kpi6_completed_unknown_and_court_order_in_same_quarter(dataset_dir):
    d = Data()
    d.order("CR", 1, "COMMUNITY_RESOLUTION", "2023-05-01", "2023-05-01", "2023-08-01",
            kpi6_completed="true")
    d.order("YC", 1, "YOUTH_CAUTION", "2023-05-01", "2023-05-01", "2023-08-01",
            kpi6_completed="false")
    d.order("UNK", 1, "OUTCOME_22", "2023-05-01", "2023-05-01", "2023-08-01")
    # a YCC and a YRO ending in the same quarter: the OOCD still counts in KPI 6 by default
    d.order("BOTH", 1, "YOUTH_CONDITIONAL_CAUTION", "2023-03-01", "2023-03-01", "2023-07-15",
            kpi6_completed="yes")
    d.order("BOTH", 2, "YRO", "2023-04-01", "2023-04-01", "2023-09-01")
    data = dataset_dir(**d)
    r = run(data, Q2, kpis=["kpi6"])
    head = r.headline("kpi6")
    assert head.numerator_child_ids == ["BOTH", "CR"]
    assert (head.denominator, head.value) == (4, 50.0)
    assert r.get("kpi6", "completion_unknown").numerator_child_ids == ["UNK"]
    assert r.get("kpi6", "completed", "oocd_outcome", "YOUTH_CAUTION").value == 0.0
    # the alternative reading: the general one-row-per-child rule, the YRO wins
    strict = run(data, Q2, kpis=["kpi6"], params={"kpi6_dedupe_among_oocd_only": False})
    assert strict.headline("kpi6").denominator == 3


def _attend(meeting, sector, level, **extra):
    return {"meeting_id": meeting, "sector": sector, "attendance": level, **extra}


def test_kpi7_board_attendance(dataset_dir):
    d = Data().add("children", {"child_id": "Z", "date_of_birth": "2008-01-01"})
    d.add("board_meetings", {"meeting_id": "M1", "meeting_date": "2023-07-10"},
          {"meeting_id": "M2", "meeting_date": "2023-09-10"},
          {"meeting_id": "M0", "meeting_date": "2023-06-10"})  # previous quarter
    d.add("board_attendance",
          _attend("M1", "LA_CHILDRENS_SOCIAL_CARE", "SENIOR"),
          _attend("M2", "LA_CHILDRENS_SOCIAL_CARE", "SENIOR"),
          _attend("M1", "POLICE", "SENIOR", new_partner="true"),
          _attend("M2", "POLICE", "DELEGATED"),
          _attend("M1", "HEALTH", "DELEGATED"),
          _attend("M1", "OTHER", "SENIOR"),  # never counted
          _attend("M0", "PROBATION", "SENIOR"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi7"])
    assert (r.headline("kpi7").numerator, r.headline("kpi7").denominator) == (2, 5)
    assert r.headline("kpi7").value == 40.0
    assert r.get("kpi7", "senior_every_meeting").numerator == 1
    assert r.get("kpi7", "senior_per_meeting").value == 1.5  # 3 senior attendances / 2
    assert r.get("kpi7", "delegated_sectors").numerator == 2
    assert r.get("kpi7", "senior_attendance", "sector", "POLICE").value == 50.0
    assert r.get("kpi7", "new_partner", "sector", "POLICE").numerator == 1
    # no meeting in a quarter: NULL, not 0
    q3 = run(dataset_dir(**d), "2023-24 Q3", kpis=["kpi7"]).headline("kpi7")
    assert q3.denominator == 0 and q3.value is None


def test_kpi8_wider_services_during_the_order(dataset_dir):
    d = Data()
    for cid in ("LAC", "CIN_BEFORE", "EHREF", "NONE"):
        d.order(cid, 1, "YRO", "2023-01-01", "2023-02-01", "2023-08-01")
    d.add("care_status",
          status("care_status", "LAC", "2023-05-01", None, status="LOOKED_AFTER"),
          status("care_status", "CIN_BEFORE", "2022-01-01", "2023-01-15", status="CHILD_IN_NEED"),
          status("care_status", "EHREF", "2023-01-01", None, status="EARLY_HELP_REFERRAL"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi8"])
    assert r.headline("kpi8").numerator_child_ids == ["LAC"]
    assert r.headline("kpi8").value == 25.0
    assert r.get("kpi8", "status_at_start", "status", "LOOKED_AFTER").numerator == 0
    assert r.get("kpi8", "status_during", "status", "LOOKED_AFTER").numerator == 1
    assert r.get("kpi8", "early_help_referral", "early_help_referral",
                 "Already open").numerator_child_ids == ["EHREF"]


def test_kpi9_worked_example_sv_rate_1_00_and_share_50_0(dataset_dir):
    d = Data(population=northshire_population(20_000, year=2022))
    for cid in "ABCD":
        d.add("children", {"child_id": cid, "date_of_birth": "2007-05-01", "sex": "1"})
    rows = [("A", "YOUTH_CAUTION", "VIOLENCE_AGAINST_THE_PERSON", 6),
            ("B", "YRO", "ROBBERY", 5),
            ("C", "YRO", "DRUGS", 4),
            ("D", "REFERRAL_ORDER", "THEFT_AND_HANDLING", 6)]
    for cid, code, category, gravity in rows:
        d.add("outcomes", {"outcome_id": f"O{cid}", "child_id": cid, "outcome_date": "2023-08-01",
                           "outcome_code": code, "residence": "LOCAL"})
        d.add("offences", offence(cid, f"F{cid}", "2023-06-01", category, gravity))
        d.add("outcome_offences", link(f"O{cid}", f"F{cid}"))
    # one offence with two outcomes counts once (most serious outcome kept)
    d.add("outcomes", {"outcome_id": "OB2", "child_id": "B", "outcome_date": "2023-08-20",
                       "outcome_code": "REFERRAL_ORDER", "residence": "LOCAL"})
    d.add("outcome_offences", link("OB2", "FB"))
    # an offence without a gravity score is never serious violence
    d.add("offences", offence("C", "FC2", "2023-06-02", "ROBBERY", None))
    d.add("outcome_offences", link("OC", "FC2"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi9"])
    head = r.headline("kpi9")
    assert (head.numerator, head.denominator, head.value) == (2, 20_000, 1.0)
    share = r.get("kpi9", "sv_offences_share")
    assert (share.numerator, share.denominator, share.value) == (2, 5, 40.0)
    assert r.get("kpi9", "missing_gravity").numerator == 1
    assert r.get("kpi9", "sv_children_share").value == 50.0
    assert r.get("kpi9", "sv_by_category", "category", "ROBBERY").numerator == 1
    assert r.get("kpi9", "sv_by_gravity", "gravity_score", "6").numerator == 1
    assert r.get("kpi9", "sv_offences_share", "type_of_order", "YRO").value == 33.3  # 1 of 3


def test_kpi9_four_offences_give_50_0(dataset_dir):
    d = Data(population=northshire_population(20_000, year=2022))
    for cid, code, category, gravity in [("A", "YOUTH_CAUTION", "VIOLENCE_AGAINST_THE_PERSON", 6),
                                         ("B", "YRO", "ROBBERY", 5), ("C", "YRO", "DRUGS", 4),
                                         ("D", "YRO", "THEFT_AND_HANDLING", 6)]:
        d.add("children", {"child_id": cid, "date_of_birth": "2007-05-01"})
        d.add("outcomes", {"outcome_id": f"O{cid}", "child_id": cid, "outcome_date": "2023-08-01",
                           "outcome_code": code, "residence": "LOCAL"})
        d.add("offences", offence(cid, f"F{cid}", "2023-06-01", category, gravity))
        d.add("outcome_offences", link(f"O{cid}", f"F{cid}"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi9"])
    assert r.headline("kpi9").value == 1.00
    assert r.get("kpi9", "sv_offences_share").value == 50.0


def test_kpi10_victims(dataset_dir):
    d = Data()
    d.order("A", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("B", 1, "REFERRAL_ORDER", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("C", 1, "REFERRAL_ORDER", "2023-01-01", "2023-01-01", "2023-08-01")
    d.add("offences", offence("A", "FA", "2022-12-01"), offence("A", "FA2", "2022-12-02"),
          offence("B", "FB", "2022-12-01"))
    d.add("outcome_offences", link("OA-1", "FA"), link("OA-1", "FA2"), link("OB-1", "FB"))
    d.add("victims",
          {"victim_id": "V1", "victim_type": "INDIVIDUAL", "consent_to_contact": "YES",
           "rj_engaged": "YES", "view_sought": "YES", "progress_requested": "YES",
           "progress_provided": "YES", "support_requested": "YES", "support_provided": "NO",
           "contact_date": "2023-02-01"},
          {"victim_id": "V2", "victim_type": "ORGANISATION", "consent_to_contact": "YES",
           "rj_engaged": "NO", "view_sought": "NO"},
          # no consent record: 10a only, even with answers recorded
          {"victim_id": "V3", "victim_type": "INDIVIDUAL", "rj_engaged": "NO",
           "view_sought": "YES", "progress_provided": "YES", "support_provided": "YES"})
    # V1 is the victim of two offences by A and one by B: counted once
    d.add("victim_offences", {"victim_id": "V1", "offence_id": "FA"},
          {"victim_id": "V1", "offence_id": "FA2"}, {"victim_id": "V1", "offence_id": "FB"},
          {"victim_id": "V2", "offence_id": "FB"}, {"victim_id": "V3", "offence_id": "FA"})
    r = run(dataset_dir(**d), Q2, kpis=["kpi10"])
    head = r.headline("kpi10")
    assert (head.numerator, head.denominator, head.value) == (1, 2, 50.0)
    assert r.get("kpi10", "victims").numerator == 3
    # individual victims V1 (A and B) and V3 (A): V1 counts once, on A's row, and B is behind
    # the figure through V1 alone
    individual = r.get("kpi10", "victims", "victim_type", "INDIVIDUAL")
    assert (individual.numerator, individual.numerator_child_ids) == (2, ["A", "B"])
    assert r.get("kpi10", "children_with_victim").value == 66.7
    assert r.get("kpi10", "rj_processes").numerator == 1
    assert r.get("kpi10", "view_sought").value == 50.0
    assert r.get("kpi10", "progress_provided").value == 100.0
    assert r.get("kpi10", "support_provided").value == 0.0
    assert r.get("kpi10", "contacted").value == 50.0
    assert r.get("kpi10", "rj_engaged", "victim_type", "ORGANISATION").value == 0.0
