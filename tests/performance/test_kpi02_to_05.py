"""KPIs 2-5: ETE hours and school age (KPIS.md §6.1 example 3), SEND, mental health, substance
misuse."""

from tests.performance.builders import Data, status
from yjs.performance.engine import run

Q2 = "2023-24 Q2"


def test_kpi2_school_age_child_with_25_hours_is_full_time_and_suitable(dataset_dir):
    d = Data()
    # S: 14 at the end of the order -> school age; school 15 h + alternative provision 10 h
    d.order("S", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", dob="2009-03-01")
    d.add("ete",
          status("ete", "S", "2022-09-01", None, provision="MAINSTREAM_SCHOOL",
                 suitability="SUITABLE", hours_offered=15, hours_attended=15),
          status("ete", "S", "2023-02-01", None, provision="ALTERNATIVE_PROVISION",
                 suitability="SUITABLE", hours_offered=10, hours_attended=5))
    # P: 17 -> above school age, college 12 h: part time, band 1-15
    d.order("P", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", dob="2006-03-01")
    d.add("ete", status("ete", "P", "2022-09-01", None, provision="COLLEGE",
                        suitability="SUITABLE", hours_offered=12, hours_attended=12))
    # U: the same college record but suitability UNKNOWN -> unsuitable
    d.order("U", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", dob="2006-03-01")
    d.add("ete", status("ete", "U", "2022-09-01", None, provision="COLLEGE",
                        suitability="UNKNOWN", hours_offered=12))
    r = run(dataset_dir(**d), Q2, kpis=["kpi2"])
    assert r.headline("kpi2").numerator_child_ids == ["P", "S"]
    assert r.headline("kpi2").value == 66.7
    assert r.get("kpi2", "full_time_offered_end").numerator_child_ids == ["S"]
    assert r.get("kpi2", "full_time_attended_end").numerator == 0  # S attended 20 < 25
    assert r.get("kpi2", "hours_offered_band_end", "hours_band", "1-15").numerator == 2
    assert r.get("kpi2", "hours_offered_band_end", "hours_band", "25+").numerator == 1
    assert r.get("kpi2", "suitable_end", "school_age", "School age").value == 100.0
    assert r.get("kpi2", "suitable_end", "school_age", "Above school age").value == 50.0


def test_kpi2_none_record_marked_suitable_is_flagged(dataset_dir):
    d = Data()
    d.order("N", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.add("ete", status("ete", "N", "2022-09-01", None, provision="NONE", suitability="SUITABLE"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi2"])
    assert r.headline("kpi2").numerator == 1
    assert r.get("kpi2", "none_recorded_suitable").numerator == 1
    assert r.get("kpi2", "no_ete_end").numerator == 1


def test_kpi3_send_plan_among_identified(dataset_dir):
    d = Data()
    for cid in "ABCD":
        d.order(cid, 1, "RO" if cid == "D" else "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d["outcomes"][-1]["outcome_code"] = "REFERRAL_ORDER"
    d.add("send",
          status("send", "A", "2020-01-01", None, identified="YES", formal_plan="YES"),
          status("send", "B", "2020-01-01", None, identified="YES", formal_plan="NO"),
          # B has a second identified record: counted once
          status("send", "B", "2021-01-01", None, identified="YES", formal_plan="NO"),
          # C's record closed before the order end: not identified at end
          status("send", "C", "2020-01-01", "2023-07-01", identified="YES", formal_plan="YES"),
          status("send", "D", "2020-01-01", None, identified="NO"))
    d.add("ete", status("ete", "A", "2022-01-01", None, provision="SCHOOL_FULL_TIME",
                        suitability="SUITABLE", hours_offered=25))
    r = run(dataset_dir(**d), Q2, kpis=["kpi3"])
    head = r.headline("kpi3")
    assert (head.numerator, head.denominator, head.value) == (1, 2, 50.0)
    identified = r.get("kpi3", "identified")
    assert (identified.numerator, identified.denominator) == (2, 4)
    assert r.get("kpi3", "identified", "type_of_order", "RO").value == 0.0
    assert r.get("kpi3", "identified_suitable_ete").numerator_child_ids == ["A"]


def _mh(cid, **dates):
    return status("mental_health", cid, None, **dates)


def test_kpi4_mental_health_need_offer_and_attendance(dataset_dir):
    d = Data()
    for cid in ("OFFERED", "TREATED", "LATE", "NOINT", "NONEED"):
        d.order(cid, 1, "YRO", "2023-01-01", "2023-01-10", "2023-08-01")
    d.add("mental_health",
          _mh("OFFERED", need_identified_date="2023-02-01", offered_date="2023-03-01",
              intervention_type="GETTING_HELP"),
          # in treatment at the start of the order: need without a screening date
          _mh("TREATED", attended_start_date="2022-06-01", intervention_type="GETTING_ADVICE"),
          # offered after the order ended: not offered
          _mh("LATE", need_identified_date="2023-02-01", offered_date="2023-08-15",
              intervention_type="GETTING_HELP"),
          # NO_INTERVENTION never counts as offered
          _mh("NOINT", need_identified_date="2023-02-01", offered_date="2023-03-01",
              intervention_type="NO_INTERVENTION"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi4"])
    head = r.headline("kpi4")
    assert head.numerator_child_ids == ["OFFERED", "TREATED"]
    assert (head.denominator, head.value) == (4, 50.0)
    assert (r.get("kpi4", "need_identified").numerator,
            r.get("kpi4", "need_identified").denominator) == (4, 5)
    assert r.get("kpi4", "in_treatment_at_start").numerator_child_ids == ["TREATED"]
    help_offered = r.get("kpi4", "offered", "intervention_type", "GETTING_HELP")
    assert help_offered.numerator_child_ids == ["OFFERED"]
    assert r.get("kpi4", "offered_not_attended").numerator_child_ids == ["OFFERED"]


def test_kpi5_substance_misuse_uses_its_own_records(dataset_dir):
    d = Data()
    d.order("A", 1, "YRO", "2023-01-01", "2023-01-10", "2023-08-01")
    d.order("B", 1, "YRO", "2023-01-01", "2023-01-10", "2023-08-01")
    d.add("substance_misuse", status("substance_misuse", "A", None,
                                     need_identified_date="2023-02-01",
                                     offered_date="2023-02-10",
                                     intervention_type="TARGETED_INTERVENTION",
                                     attended_start_date="2023-02-20"),
          status("substance_misuse", "B", None, need_identified_date="2023-02-01"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi4", "kpi5"])
    assert r.headline("kpi5").numerator_child_ids == ["A"]
    assert r.headline("kpi5").value == 50.0
    assert r.get("kpi5", "attended_of_offered").value == 100.0
    assert r.headline("kpi4").denominator == 0 and r.headline("kpi4").value is None


def test_kpi4_and_kpi5_offered_sub_measures_count_only_children_with_need(dataset_dir):
    # NEED: need identified, offered and attended. NONEED: the source's 1900-01-01 "no date" for
    # the screening, but offered advice in the order: no need, so in no offered-based denominator.
    d = Data()
    for cid in ("NEED", "NONEED"):
        d.order(cid, 1, "YRO", "2023-01-01", "2023-01-10", "2023-08-01")
    d.add("mental_health",
          _mh("NEED", need_identified_date="2023-02-01", offered_date="2023-03-01",
              intervention_type="GETTING_HELP", attended_start_date="2023-03-15"),
          _mh("NONEED", need_identified_date="1900-01-01", offered_date="2023-05-01",
              intervention_type="GETTING_ADVICE"))
    d.add("substance_misuse",
          status("substance_misuse", "NEED", None, need_identified_date="2023-02-01",
                 offered_date="2023-03-01", intervention_type="TARGETED_INTERVENTION",
                 attended_start_date="2023-03-15"),
          status("substance_misuse", "NONEED", None, need_identified_date="1900-01-01",
                 offered_date="2023-05-01", intervention_type="COMPLEX_CARE"))
    r = run(dataset_dir(**d), Q2, kpis=["kpi4", "kpi5"])
    for kpi in ("kpi4", "kpi5"):
        assert (r.headline(kpi).numerator, r.headline(kpi).denominator) == (1, 1)
        of_offered = r.get(kpi, "attended_of_offered")
        assert (of_offered.numerator, of_offered.denominator, of_offered.value) == (1, 1, 100.0)
        not_attended = r.get(kpi, "offered_not_attended")
        assert (not_attended.numerator, not_attended.denominator) == (0, 1)
        assert not_attended.denominator_child_ids == ["NEED"]
    help_row = r.get("kpi4", "offered_not_attended", "intervention_type", "GETTING_HELP")
    assert help_row.denominator_child_ids == ["NEED"]
    assert all(x.category != "GETTING_ADVICE" for x in r.results
               if x.kpi == "kpi4" and x.measure == "offered_not_attended")
