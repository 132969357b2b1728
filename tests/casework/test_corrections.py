"""Correct, void and see history (issue 8).

Jay (born 1 May 2010, team North, alice's caseload) had a theft on 1 March 2025 dealt with by
a youth caution on 10 April 2025. alice corrects the offence, voids a mis-entered one, and the
record page keeps the whole history. bob (team South) may change none of it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from yjs.audit.models import AuditEvent
from yjs.casework import records, selectors, services
from yjs.casework.models import (
    Contact,
    EthnicityRecord,
    Intervention,
    Offence,
    Outcome,
    ReferralOrderPanel,
)

from ..conftest import PASSWORD, date_fields

D = datetime.date


def signed_in(username) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def theft(jay, people):
    return services.record_offence(
        people["alice"],
        Offence(
            child=jay,
            offence_date=D(2025, 3, 1),
            description="Theft from a shop",
            category="THEFT_AND_HANDLING",
            gravity_score=2,
        ),
    )


@pytest.fixture
def caution(jay, people, theft):
    return services.record_outcome(
        people["alice"],
        Outcome(
            child=jay,
            code="YOUTH_CAUTION",
            outcome_date=D(2025, 4, 10),
            residence="LOCAL",
            appeal_status="NONE",
        ),
        [theft],
    )


def url(jay, slug, record, action=""):
    return records.RECORD_TYPES[slug].url(jay, record, action)


def offence_post(offence, revision, **changes):
    data = {
        "description": offence.description,
        "category": offence.category,
        "gravity_score": offence.gravity_score or "",
        "revision": revision,
        **date_fields("offence_date", offence.offence_date),
    }
    data.update(changes)
    return data


def revision_on(page) -> str:
    return re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)


def test_changing_an_offence_is_audited_with_old_and_new_values(jay, theft):
    alice = signed_in("alice")
    response = alice.post(
        url(jay, "offence", theft, "edit"), offence_post(theft, "1", gravity_score=4)
    )
    assert response.status_code == 302
    theft.refresh_from_db()
    assert (theft.gravity_score, theft.revision) == (4, 2)
    event = AuditEvent.objects.filter(object_type="offence", action="UPDATE").latest("pk")
    assert event.changes == {"gravity_score": [2, 4]}
    assert event.child == jay
    page = alice.get(url(jay, "offence", theft)).content.decode()
    assert "Seriousness (gravity) score" in page and "History" in page
    assert re.search(r"<td[^>]*>2</td>\s*<td[^>]*>4</td>", page)


def test_a_new_records_history_lists_what_was_entered_not_empty_answers(jay, theft):
    created = records.history(theft)[0]
    assert (created.action, created.created) == ("Created", True)
    labels = [label for label, _, _ in created.changes]
    assert "Description" in labels and "Seriousness (gravity) score" in labels
    # no arrest date was given, and the child and timestamps are not answers
    assert not [new for _, _, new in created.changes if new == records.NOT_RECORDED]
    assert not {"Child", "Recorded at", "Void reason"} & set(labels)


def test_an_edit_that_breaks_the_date_sequence_is_refused(jay, theft, caution):
    """The theft cannot move after the caution that dealt with it (10 April 2025)."""
    alice = signed_in("alice")
    response = alice.post(
        url(jay, "offence", theft, "edit"),
        offence_post(theft, "1", **date_fields("offence_date", D(2025, 5, 1))),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Offence date must be the same as or before the date of its outcome" in page
    theft.refresh_from_db()
    assert theft.offence_date == D(2025, 3, 1)


def test_an_outcome_moved_before_its_offence_is_refused(jay, people, theft, caution):
    caution.outcome_date = D(2025, 2, 1)
    with pytest.raises(ValidationError, match="the same as or after the offence date"):
        services.update_record(people["alice"], caution, offences=[theft])


def test_void_needs_a_reason(jay, theft):
    alice = signed_in("alice")
    response = alice.post(url(jay, "offence", theft, "void"), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Enter why this record is being voided" in page
    theft.refresh_from_db()
    assert not theft.voided


def test_a_voided_offence_leaves_the_journey_and_stays_on_its_page(jay, people, theft):
    alice = signed_in("alice")
    response = alice.post(
        url(jay, "offence", theft, "void"), {"reason": "Entered on Jay by mistake"}
    )
    assert response.status_code == 302
    assert list(jay.offences.all()) == []
    assert not Offence.objects.filter(pk=theft.pk).exists()
    assert Offence.all_objects.get(pk=theft.pk).voided_by == people["alice"]
    assert all(e.kind != "offence" for e in selectors.timeline(jay, "all"))
    event = AuditEvent.objects.filter(object_type="offence").latest("pk")
    assert event.description == "Voided: Entered on Jay by mistake"
    assert set(event.changes) == {"voided_at", "voided_by_id", "void_reason"}
    assert event.changes["void_reason"] == ["", "Entered on Jay by mistake"]

    child_page = alice.get(f"/children/{jay.pk}/").content.decode()
    assert "Theft from a shop" not in child_page.split("Voided records")[0]
    assert "Voided records (1)" in child_page
    page = alice.get(url(jay, "offence", theft)).content.decode()
    assert "Voided: Entered on Jay by mistake" in page
    assert "Theft from a shop" in page and "Created" in page and "Voided" in page
    assert url(jay, "offence", theft, "edit") not in page  # no Change, no Void any more
    assert alice.get(url(jay, "offence", theft, "edit")).status_code == 302
    with pytest.raises(ValidationError, match="already been voided"):
        services.void_record(people["alice"], theft, "Again")


def test_voiding_what_others_rest_on_names_what_to_void_first(jay, people, theft, caution):
    with pytest.raises(ValidationError, match="Void the records that depend on this one first"):
        services.void_record(people["alice"], theft, "Wrong child")
    order = services.open_intervention(
        people["alice"],
        Intervention(
            child=jay, outcome=caution, kind="OOCD", start_date=D(2025, 4, 10), team=jay.team
        ),
    )
    with pytest.raises(ValidationError, match="Out-of-court disposal from 10 Apr 2025"):
        services.void_record(people["alice"], caution, "Wrong child")
    services.void_record(people["alice"], order, "Wrong child")
    services.void_record(people["alice"], caution, "Wrong child")
    services.void_record(people["alice"], theft, "Wrong child")
    assert not jay.outcomes.exists() and not jay.interventions.exists()


def test_timeline_entries_link_to_their_record_pages(jay, theft, caution):
    links = {e.kind: e.url for e in selectors.timeline(jay, "all")}
    assert links["offence"] == f"/children/{jay.pk}/records/offence/{theft.pk}/"
    assert links["outcome"] == f"/children/{jay.pk}/records/outcome/{caution.pk}/"
    page = signed_in("alice").get(f"/children/{jay.pk}/").content.decode()
    assert f'href="{links["offence"]}"' in page


def test_two_people_changing_one_record_never_overwrite_each_other(jay, theft, people):
    from tests.conftest import _user
    from yjs.organisation.models import Role

    _user(jay.service, "cal", Role.PRACTITIONER, jay.team, "Cal", "Cole")
    alice, cal = signed_in("alice"), signed_in("cal")
    edit = url(jay, "offence", theft, "edit")
    alice_rev, cal_rev = revision_on(alice.get(edit)), revision_on(cal.get(edit))
    assert alice.post(edit, offence_post(theft, alice_rev, gravity_score=3)).status_code == 302
    refused = cal.post(edit, offence_post(theft, cal_rev, gravity_score=5))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "This record was changed by Alice Archer" in page
    theft.refresh_from_db()
    assert (theft.gravity_score, theft.revision) == (3, 2)
    # voiding an opened-then-changed record is no lost write either: it runs on the new one
    void = services.void_record(people["alice"], theft, "Duplicate")
    assert void.revision == 3


@pytest.mark.parametrize("action", ["edit", "void"])
def test_a_practitioner_of_the_other_team_cannot_change_or_void(jay, theft, action):
    bob = signed_in("bob")
    assert bob.get(url(jay, "offence", theft, action)).status_code == 403
    assert bob.post(url(jay, "offence", theft, action), {"reason": "x"}).status_code == 403
    theft.refresh_from_db()
    assert not theft.voided and theft.revision == 1


def test_a_record_of_another_child_is_not_found_under_this_one(jay, kim, theft):
    mo = signed_in("hana")
    assert mo.get(f"/children/{kim.pk}/records/offence/{theft.pk}/").status_code == 404
    assert mo.get(f"/children/{jay.pk}/records/nonsense/{theft.pk}/").status_code == 404


def test_every_kind_of_record_has_a_page(jay, people, theft, caution):
    """The registry covers each kind: a page opens for one record of each."""
    order = services.open_intervention(
        people["alice"],
        Intervention(
            child=jay,
            outcome=caution,
            kind="REFERRAL_ORDER",
            start_date=D(2025, 4, 10),
            team=jay.team,
        ),
    )
    panel = services.save_record(
        people["alice"],
        ReferralOrderPanel(intervention=order, panel_type="INITIAL", panel_date=D(2025, 5, 1)),
    )
    contact = services.save_record(
        people["alice"],
        Contact(
            child=jay,
            contact_date=D(2025, 5, 2),
            contact_type="HOME_VISIT",
            mode="FACE_TO_FACE",
            attended=True,
            worker=people["alice"],
        ),
    )
    alice = signed_in("alice")
    for slug, record in [
        ("intervention", order),
        ("panel", panel),
        ("contact", contact),
        ("ethnicity", jay.ethnicity_history.get()),
    ]:
        page = alice.get(url(jay, slug, record))
        assert page.status_code == 200, slug
        if records.RECORD_TYPES[slug].form:
            assert alice.get(url(jay, slug, record, "edit")).status_code == 200, slug
    panel_event = AuditEvent.objects.filter(object_type="referral order panel").latest("pk")
    assert panel_event.child == jay
    # Opening a record page is an audited read
    assert AuditEvent.objects.filter(
        child=jay, action="VIEW", description__contains="panel record"
    ).exists()


def test_changing_the_childs_details_is_audited(jay):
    alice = signed_in("alice")
    form_url = reverse("casework:child_details", args=[jay.pk])
    revision = revision_on(alice.get(form_url))
    data = {
        "first_name": "Jay",
        "last_name": "Smith-Jones",
        "preferred_name": "",
        "sex": "1",
        "gender": "",
        "home_local_authority": jay.home_local_authority_id,
        "residence": "LOCAL",
        "speech_language_notes": "",
        "revision": revision,
        **date_fields("date_of_birth", jay.date_of_birth),
    }
    assert alice.post(form_url, data).status_code == 302
    jay.refresh_from_db()
    assert jay.last_name == "Smith-Jones"
    event = AuditEvent.objects.filter(object_type="child", action="UPDATE").latest("pk")
    assert event.changes == {"last_name": ["Smith", "Smith-Jones"]}


def test_a_date_of_birth_that_makes_an_offence_out_of_age_is_refused(jay, people, theft):
    jay.date_of_birth = D(2016, 1, 1)  # 9 at the theft
    with pytest.raises(ValidationError, match="aged 10 to 17"):
        services.update_child(people["alice"], jay)


def test_a_change_of_ethnicity_is_a_new_dated_record(jay):
    alice = signed_in("alice")
    response = alice.post(
        reverse("casework:new_ethnicity", args=[jay.pk]),
        {"ethnicity": "MIXED_WHITE_BLACK_CARIBBEAN", **date_fields("recorded_on", D(2025, 6, 1))},
    )
    assert response.status_code == 302
    history = list(EthnicityRecord.objects.filter(child=jay))
    assert [e.ethnicity for e in history] == ["MIXED_WHITE_BLACK_CARIBBEAN", "WHITE_BRITISH"]
    assert jay.ethnicity_history.first().recorded_on == D(2025, 6, 1)
