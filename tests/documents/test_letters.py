"""Letters written from a service's Word templates with what the record holds, saved to the
record; a service's own templates, refused by name when they use a field the letter lacks."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD
from tests.documents.helpers import docx_bytes, docx_text, errors, stored_files
from yjs.audit.models import AuditEvent
from yjs.casework.models import Assessment, Offence, Outcome, Victim
from yjs.court.models import Hearing, PreSentenceReport
from yjs.documents import letters, services
from yjs.documents.models import Attachment, LetterTemplate
from yjs.documents.storage import document_storage
from yjs.supervision.models import Appointment, Warning

D = datetime.date


def _order(child):
    offence = Offence.objects.create(
        child=child,
        offence_date=D(2026, 1, 5),
        description="Theft of a bicycle",
        category="THEFT_AND_HANDLING",
    )
    order = Outcome.objects.create(
        child=child,
        code="YRO",
        outcome_date=D(2026, 3, 2),
        length_months=12,
        appeal_status="NONE",
        residence="LOCAL",
    )
    order.offences.set([offence])
    return offence, order


@pytest.fixture
def warning(jay, people):
    _offence, order = _order(jay)
    missed = Appointment.objects.create(
        child=jay,
        order=order,
        appointment_date=D(2026, 10, 5),
        kind="SUPERVISION",
        attendance="UNACCEPTABLE",
    )
    return Warning.objects.create(
        child=jay,
        order=order,
        appointment=missed,
        warned_on=D(2026, 10, 6),
        reason="You did not come to your appointment and did not tell us why.",
        given_by=people["alice"],
    )


def _letter(doc: Attachment) -> str:
    with document_storage.open(doc.file.name, "rb") as f:
        return docx_text(f.read())


def test_a_warning_letter_is_written_to_the_child_and_saved(client, jay, warning, storage_root):
    client.login(username="alice", password=PASSWORD)
    kinds = client.get(f"/children/{jay.pk}/letters/new/").content.decode()
    assert "Warning letter" in kinds and "Appointment letter" in kinds  # not offered: explained
    url = f"/children/{jay.pk}/letters/new/WARNING/"
    form = client.get(url, {"record": f"supervision.warning:{warning.pk}"}).content.decode()
    assert "Jay Smith (the child)" in form
    response = client.post(
        url,
        {
            "record": f"supervision.warning:{warning.pk}",
            "recipient": "0",
            "address": "1 Mill Lane\nNorthtown",
        },
    )
    doc = Attachment.objects.get(child=jay)
    assert response.status_code == 302
    assert response.url == f"/children/{jay.pk}/records/document/{doc.pk}/"
    assert (doc.source, doc.letter_kind, doc.kind) == ("GENERATED", "WARNING", "LETTER")
    assert doc.description == "Warning letter to Jay Smith"
    text = _letter(doc)
    assert "Dear Jay," in text
    assert "Jay Smith\n1 Mill Lane\nNorthtown" in text
    assert "gave you a warning on 6 October 2026" in text
    assert "You did not come to your appointment on 5 October 2026." in text
    assert "we may have to take you back to court" in text  # a YRO: court, not the panel
    assert "{{" not in text and "{%" not in text
    assert "Alice Archer" in text and "Our reference: " + jay.reference in text
    assert len(stored_files(storage_root)) == 1
    event = AuditEvent.objects.get(object_type="document", action="CREATE")
    assert event.description.startswith("Wrote a warning letter")
    page = client.get(response.url).content.decode()
    assert "Download the document" in page


def test_the_warning_page_offers_the_letter(client, jay, warning):
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/records/order-warning/{warning.pk}/").content.decode()
    assert "Write a warning letter" in page
    assert (
        f"/children/{jay.pk}/letters/new/WARNING/?record=supervision.warning:{warning.pk}" in page
    )


def test_letter_pages_refuse_the_wrong_team(client, jay, warning):
    client.login(username="bob", password=PASSWORD)
    url = f"/children/{jay.pk}/letters/new/WARNING/"
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"record": f"supervision.warning:{warning.pk}", "recipient": "0"}
        ).status_code
        == 403
    )
    assert not Attachment.objects.exists()


def test_recipients_come_from_registered_sources(client, jay, warning, monkeypatch):
    monkeypatch.setattr(letters, "RECIPIENT_SOURCES", [])
    letters.register_recipient_source(
        lambda child: [
            {
                "name": "Dana Smith",
                "relationship": "Mother",
                "address_lines": ["1 Mill Lane", "Northtown"],
                "may_contact": True,
            },
            {
                "name": "Lee Smith",
                "relationship": "Father",
                "address_lines": [],
                "may_contact": False,
            },
        ]
    )
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/letters/new/WARNING/"
    page = client.get(url).content.decode()
    assert "Dana Smith (mother)" in page
    assert "must not be contacted: Lee Smith (father)" in page
    assert 'value="2"' not in page  # Lee is not a choice
    client.post(url, {"record": f"supervision.warning:{warning.pk}", "recipient": "1"})
    text = _letter(Attachment.objects.get(child=jay))
    assert "Dana Smith\n1 Mill Lane\nNorthtown" in text and "Dear Dana Smith," in text
    assert "We are writing to you as Jay's mother" in text


def test_the_appointment_letter_is_offered_once_registered(client, jay, monkeypatch):
    client.login(username="alice", password=PASSWORD)
    assert (
        "/letters/new/APPOINTMENT/"
        not in client.get(f"/children/{jay.pk}/letters/new/").content.decode()
    )
    assert client.get(f"/children/{jay.pk}/letters/new/APPOINTMENT/").status_code == 404

    monkeypatch.setattr(letters, "KINDS", dict(letters.KINDS))
    letters.register_kind(
        letters.appointment_kind(
            records=lambda child: [jay],  # stands in for the diary's appointments
            context=lambda child, record: {
                "appointment": {
                    "date": "8 December 2026",
                    "time": "4pm",
                    "place": "Northtown library",
                    "purpose": "a supervision session",
                    "with": "Alice Archer",
                }
            },
        )
    )
    assert (
        "/letters/new/APPOINTMENT/"
        in client.get(f"/children/{jay.pk}/letters/new/").content.decode()
    )
    client.post(
        f"/children/{jay.pk}/letters/new/APPOINTMENT/",
        {"record": f"casework.child:{jay.pk}", "recipient": "0"},
    )
    text = _letter(Attachment.objects.get(child=jay))
    assert "on 8 December 2026 at 4pm" in text and "Where: Northtown library" in text


def test_a_victim_letter_goes_to_the_victim_and_never_names_the_child(client, jay):
    offence, _ = _order(jay)
    said_no = Victim.objects.create(
        service=jay.service, victim_type="INDIVIDUAL", name="Pat Cole", consent_to_contact="NO"
    )
    said_yes = Victim.objects.create(
        service=jay.service, victim_type="INDIVIDUAL", name="Sam Lee", consent_to_contact="YES"
    )
    said_no.offences.set([offence])
    said_yes.offences.set([offence])
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/letters/new/VICTIM_CONTACT/"
    refused = client.post(url, {"record": f"casework.victim:{said_no.pk}"})
    assert errors(refused) == ["Pat Cole asked not to be contacted"]
    client.post(url, {"record": f"casework.victim:{said_yes.pk}"})
    doc = Attachment.objects.get(child=jay)
    text = _letter(doc)
    assert "Dear Sam Lee," in text and "restorative justice" in text
    assert "Jay" not in text and "Smith" not in text and jay.reference not in text


def test_a_pre_sentence_report_is_drafted_with_the_offences(client, jay, people):
    offence, earlier = _order(jay)
    hearing = Hearing.objects.create(
        child=jay,
        court="Northshire Youth Court",
        hearing_date=D(2026, 10, 1),
        hearing_type="PLEA",
    )
    hearing.offences.set([offence])
    report = PreSentenceReport.objects.create(
        child=jay, requested_at=hearing, requested_on=D(2026, 10, 1), due_on=D(2026, 10, 22)
    )
    Assessment.objects.create(
        child=jay,
        kind="ASSETPLUS",
        completed_on=D(2026, 9, 20),
        likelihood_of_reoffending="MEDIUM",
        risk_of_serious_harm="LOW",
        safety_and_wellbeing="MEDIUM",
        needs="Needs help getting to school.",
        review_due=D(2026, 12, 20),
    )
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        f"/children/{jay.pk}/letters/new/PSR_DRAFT/",
        {"record": f"court.presentencereport:{report.pk}"},
    )
    assert response.status_code == 302
    doc = Attachment.objects.get(child=jay)
    assert (doc.kind, doc.letter_kind) == ("PSR", "PSR_DRAFT")
    text = _letter(doc)
    assert "For Northshire Youth Court, at the hearing of 1 October 2026." in text
    assert "Theft of a bicycle (Theft and handling stolen goods), on 5 January 2026." in text
    assert "Youth rehabilitation order, 2 March 2026." in text  # the earlier outcome
    assert "AssetPlus completed on 20 September 2026" in text
    assert "Needs help getting to school." in text
    assert "born 1 May 2010" in text


# --------------------------------------------------------------------------- templates


def _upload_template(client, kind, data, name="letter.docx"):
    return client.post(
        f"/documents/letter-templates/{kind}/",
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    ("tag", "named"),
    [("{{ child.shoe_size }}", "child.shoe_size"), ("{{ favourite_colour }}", "favourite_colour")],
)
def test_a_template_with_an_unknown_field_is_refused_naming_it(client, people, tag, named):
    client.login(username="hana", password=PASSWORD)
    response = _upload_template(
        client, "WARNING", docx_bytes("Dear {{ recipient.salutation }},", tag)
    )
    [message] = errors(response)
    assert message.startswith("letter.docx was not accepted.")
    assert f"{named}, which the letter&#x27;s data does not contain" in message
    assert not LetterTemplate.objects.exists()


def test_a_template_reaching_outside_its_data_is_refused(client, people):
    client.login(username="hana", password=PASSWORD)
    response = _upload_template(client, "WARNING", docx_bytes("{{ child.__class__.__mro__ }}"))
    assert "names starting with _ are internal" in errors(response)[0]
    assert not LetterTemplate.objects.exists()


def test_a_services_own_template_is_used_and_audited(client, jay, warning, people):
    client.login(username="hana", password=PASSWORD)
    own = docx_bytes(
        "Northshire letterhead",
        "Hello {{ child.name }}, about {{ warning.order }} on {{ warning.date }}.",
        "{{ worker.name }}",
    )
    response = _upload_template(client, "WARNING", own, name="Our warning.docx")
    assert response.status_code == 302
    template = LetterTemplate.objects.get(service=jay.service, kind="WARNING")
    assert template.name == "Our warning.docx"
    listed = client.get("/documents/letter-templates/").content.decode()
    assert "The service's own: Our warning.docx" in listed
    assert "Not offered yet" not in listed  # the diary registers the appointment letter
    page = client.get("/documents/letter-templates/WARNING/").content.decode()
    assert "missed_appointment" in page and "Use the default template again" in page
    default = client.get("/documents/letter-templates/WARNING/?download=default")
    assert "{{ warning.reason }}" in docx_text(default.content)
    assert AuditEvent.objects.filter(
        object_type="letter template", description__startswith="Uploaded the warning letter"
    ).exists()
    client.login(username="alice", password=PASSWORD)
    client.post(
        f"/children/{jay.pk}/letters/new/WARNING/",
        {"record": f"supervision.warning:{warning.pk}", "recipient": "0"},
    )
    text = _letter(Attachment.objects.get(child=jay))
    assert text.startswith("Northshire letterhead\nHello Jay, about Youth rehabilitation order")
    client.login(username="hana", password=PASSWORD)
    client.post("/documents/letter-templates/WARNING/", {"use_default": "1"})
    assert not LetterTemplate.objects.exists()
    assert services.template_bytes(jay.service, "WARNING").startswith(b"PK")


@pytest.mark.parametrize("username", ["alice", "mo", "ana", "bea"])
def test_only_the_service_lead_changes_letter_templates(client, people, username):
    client.login(username=username, password=PASSWORD)
    assert client.get("/documents/letter-templates/").status_code == 403
    assert _upload_template(client, "WARNING", docx_bytes("Hi")).status_code == 403
    assert not LetterTemplate.objects.exists()


def test_every_default_template_fills_its_sample(people):
    for code in services.letters.SAMPLES:
        services.render.render_letter(
            services.template_bytes(people["hana"].service, code),
            services.sample_context(code),
            title="Sample",
            when=datetime.datetime(2000, 1, 1),
        )
