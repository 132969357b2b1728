"""A child with one record of every casework kind, each carrying text that must not survive.

Zephyrine Quillfeather (born 23 July 2007) was worked with by team North and her case closed in
2018. Every free-text field quotes a marker, so a scan of the database (erasure) or of the
export (subject access) can find it. Her victim Orla Vantwest was harmed only by her; Perry
Shawcross was a victim of her and of another child, so his record stays after her erasure.
"""

from __future__ import annotations

import datetime as dt

from tests.conftest import make_child
from yjs.audit import services as audit
from yjs.casework import models as cw

D = dt.date
FIRST, LAST, PREFERRED = "Zephyrine", "Quillfeather", "Zeph"
DOB = D(2007, 7, 23)
ONLY_VICTIM, SHARED_VICTIM = "Orla Vantwest", "Perry Shawcross"
MARKERS = (
    "speech-marker-1",
    "referral-marker-2",
    "offence-marker-3",
    "remand-marker-4",
    "needs-marker-5",
    "goals-marker-6",
    "together-marker-7",
    "contact-marker-8",
    "oversight-marker-9",
    "actions-marker-10",
    "transition-marker-11",
    "yro-marker-12",
    "court-marker-13",
    "allocation-marker-14",
    "transfer-marker-15",
    "requirement-marker-16",
    "appointment-marker-17",
    "warning-marker-18",
    "breach-marker-19",
    "hearing-marker-20",
    "panel-marker-21",
    "document-marker-22",
    "diary-place-marker-22",
    "diary-reason-marker-23",
    "task-marker-24",
    "people-marker-22",
    "address-marker-23",
    "school-marker-24",
    "gp-marker-25",
    "professional-marker-26",
    "parenting-marker-22",
    "programme-marker-28",
    "audit-marker-29",
    "incident-marker-30",
    "feedback-marker-27",
)


def full_record(service, team, worker, manager, *, other_child=None):
    """Zephyrine and one record of every kind; audited like the forms would (CREATE)."""
    child = make_child(
        service,
        team,
        first=FIRST,
        last=LAST,
        preferred_name=PREFERRED,
        dob=DOB,
        worker=worker,
        speech_language_needs=True,
        speech_language_notes="speech-marker-1",
        closed_on=D(2018, 3, 31),
        closure_reason="MOVED_AREA",
        gender="2",
    )
    offence = cw.Offence.objects.create(
        child=child,
        offence_date=D(2022, 2, 1),
        description="offence-marker-3",
        category="ROBBERY",
        gravity_score=5,
    )
    outcome = cw.Outcome.objects.create(
        child=child,
        code="YRO",
        outcome_date=D(2022, 4, 1),
        court="court-marker-13",
        length_months=12,
        yro_requirements="yro-marker-12",
        appeal_status="NONE",
        residence="LOCAL",
    )
    outcome.offences.set([offence])
    intervention = cw.Intervention.objects.create(
        child=child,
        outcome=outcome,
        kind="REFERRAL_ORDER",
        start_date=D(2022, 4, 2),
        end_date=D(2023, 4, 1),
        team=team,
        worker=worker,
    )
    records = [
        cw.CareStatus(child=child, status="LOOKED_AFTER", start_date=D(2021, 1, 1)),
        cw.SendRecord(
            child=child,
            identified="YES",
            formal_plan="NO",
            support="SEN_SUPPORT",
            start_date=D(2021, 1, 1),
        ),
        cw.ExploitationConcern(child=child, concern="CCE", identified_on=D(2021, 6, 1)),
        cw.Referral(
            child=child,
            received_on=D(2021, 1, 5),
            source="POLICE",
            pathway="COURT",
            reason="referral-marker-2",
        ),
        cw.ReferralOrderPanel(
            intervention=intervention, panel_type="INITIAL", panel_date=D(2022, 4, 20)
        ),
        cw.Remand(
            child=child,
            decision="REMAND_IN_CUSTODY",
            start_date=D(2022, 2, 2),
            end_date=D(2022, 3, 1),
            circumstances="remand-marker-4",
        ),
        cw.CustodyEpisode(
            child=child, outcome=outcome, establishment="YOI", start_date=D(2022, 4, 1)
        ),
        cw.Assessment(
            child=child,
            kind="ASSETPLUS",
            completed_on=D(2022, 4, 10),
            assessor=worker,
            likelihood_of_reoffending="MEDIUM",
            risk_of_serious_harm="LOW",
            safety_and_wellbeing="LOW",
            needs="needs-marker-5",
            review_due=D(2022, 7, 10),
        ),
        cw.ChildPlan(
            child=child,
            agreed_on=D(2022, 4, 12),
            goals="goals-marker-6",
            we_will="together-marker-7",
            co_produced=True,
        ),
        cw.Contact(
            child=child,
            contact_date=D(2022, 5, 1),
            contact_type="HOME_VISIT",
            mode="FACE_TO_FACE",
            attended=True,
            worker=worker,
            notes="contact-marker-8",
        ),
        cw.ManagementOversight(
            child=child,
            recorded_on=D(2022, 5, 2),
            manager=manager,
            summary="oversight-marker-9",
            actions="actions-marker-10",
        ),
        cw.AccommodationRecord(
            child=child,
            accommodation_type="LIVING_WITH_PARENTS",
            suitability="SUITABLE",
            start_date=D(2022, 4, 2),
        ),
        cw.EteRecord(
            child=child,
            provision="SCHOOL_FULL_TIME",
            suitability="SUITABLE",
            start_date=D(2022, 4, 2),
        ),
        cw.MentalHealthRecord(
            child=child, need_identified_on=D(2022, 4, 3), intervention_type="GETTING_HELP"
        ),
        cw.SubstanceMisuseRecord(
            child=child,
            need_identified_on=D(2022, 4, 3),
            intervention_type="TARGETED_INTERVENTION",
        ),
        cw.TransitionDecision(
            child=child,
            decided_on=D(2024, 12, 1),
            decision="NOT_REQUIRED",
            notes="transition-marker-11",
        ),
        cw.Allocation(
            child=child,
            team=team,
            worker=worker,
            allocated_on=D(2022, 4, 1),
            allocated_by=manager,
            reason="allocation-marker-14",
        ),
        cw.Transfer(
            child=child,
            direction="IN",
            other_service="Eastdale Youth Justice Service",
            their_reference="ED-1",
            transfer_date=D(2022, 4, 1),
            notes="transfer-marker-15",
        ),
        cw.CaseClosure(
            child=child, closed_on=D(2018, 3, 31), reason="MOVED_AREA", closed_by=manager
        ),
    ]
    for record in records:
        record.save()
    from yjs.diversion.models import OutOfCourtPanel, PanelAttendee

    panel = OutOfCourtPanel.objects.create(
        child=child, panel_date=D(2021, 2, 1), child_views="panel-marker-21"
    )
    panel.offences.set([offence])
    PanelAttendee.objects.create(panel=panel, agency="POLICE", name="PC Khan", role="Officer")
    only = cw.Victim.objects.create(service=service, victim_type="INDIVIDUAL", name=ONLY_VICTIM)
    only.offences.set([offence])
    shared = cw.Victim.objects.create(service=service, victim_type="INDIVIDUAL", name=SHARED_VICTIM)
    shared.offences.set([offence])
    if other_child is not None:
        other = cw.Offence.objects.create(
            child=other_child,
            offence_date=D(2022, 2, 1),
            description="the other child's offence",
            category="ROBBERY",
            gravity_score=5,
        )
        shared.offences.add(other)
    records += _supervision(child, outcome, worker)
    records += _court(child, offence, outcome, manager)
    records += _documents(child, worker)
    records += _diary(child, outcome, worker)
    records += _people(child, service)
    records += _parenting(child, worker)
    records += _programme(child, service)
    records += _quality(child, service, manager)
    records += _feedback(child, service, worker)
    # The audit trail as the services layer writes it: values of every record, names included.
    for obj in [child, offence, outcome, intervention, *records, only, shared]:
        audit.record(
            worker,
            "CREATE",
            obj,
            child=None if isinstance(obj, cw.Victim) else child,  # as record_victim does
            description=str(obj),
            changes=audit.diff({}, audit.field_values(obj)),
        )
    return child


def _supervision(child, order, worker) -> list:
    """The order's supervision (yjs.supervision): a requirement, a missed appointment, its
    warning and the breach."""
    from yjs.supervision import models as sv

    requirement = sv.Requirement.objects.create(
        child=child,
        order=order,
        kind="ACTIVITY",
        start_date=D(2022, 4, 1),
        planned_end_date=D(2022, 10, 1),
        unit="DAYS",
        ordered=20,
        completed=5,
        details="requirement-marker-16",
    )
    missed = sv.Appointment.objects.create(
        child=child,
        order=order,
        requirement=requirement,
        appointment_date=D(2022, 5, 3),
        kind="SUPERVISION",
        attendance="UNACCEPTABLE",
        notes="appointment-marker-17",
    )
    warning = sv.Warning.objects.create(
        child=child,
        order=order,
        appointment=missed,
        warned_on=D(2022, 5, 4),
        reason="warning-marker-18",
        given_by=worker,
    )
    breach = sv.Breach.objects.create(
        child=child,
        order=order,
        breach_date=D(2022, 6, 1),
        proceedings="COURT",
        reason="breach-marker-19",
        result="CONTINUED",
        result_date=D(2022, 6, 20),
    )
    return [requirement, missed, warning, breach]


def _parenting(child, worker) -> list:
    """Parenting work (yjs.parenting): voluntary support her mother received."""
    from yjs.parenting.models import ParentingWork

    work = ParentingWork.objects.create(
        child=child,
        kind="VOLUNTARY",
        programme="TRIPLE_P_GROUP",
        parent_or_carer="Mother",
        start_date=D(2022, 4, 4),
        end_date=D(2022, 7, 4),
        completed_successfully=True,
        end_reason="COMPLETED",
        worker=worker,
        notes="parenting-marker-22",
    )
    return [work]


def _programme(child, service) -> list:
    """A place on a group programme (yjs.programmes), with one session's attendance."""
    from yjs.programmes import models as pm

    programme = pm.Programme.objects.create(
        service=service, name="Which Way", sessions=6, sessions_to_complete=4
    )
    cohort = pm.Cohort.objects.create(
        programme=programme, name="Cohort 1", start_date=D(2022, 5, 9)
    )
    session = pm.Session.objects.create(cohort=cohort, number=1, date=D(2022, 5, 9), topic="Start")
    place = pm.Enrolment.objects.create(
        cohort=cohort,
        child=child,
        enrolled_on=D(2022, 5, 2),
        score_before=3,
        notes="programme-marker-28",
    )
    pm.Attendance.objects.create(session=session, enrolment=place, attended=True, score_start=4)
    return [place]


def _quality(child, service, manager) -> list:
    """A manager's case audit and a serious incident notification (yjs.quality)."""
    import datetime as dt

    from yjs.quality import models as qa

    audit_ = qa.CaseAudit.objects.create(
        service=service,
        child=child,
        auditor=manager,
        audited_on=D(2022, 6, 1),
        assessment="GOOD",
        planning="GOOD",
        delivery="REQUIRES_IMPROVEMENT",
        review="GOOD",
        overall="GOOD",
        works_well="audit-marker-29",
        to_improve="More frequent contact",
    )
    incident = qa.SeriousIncident.objects.create(
        service=service,
        child=child,
        kind="SERIOUS_HARM",
        incident_date=D(2022, 6, 10),
        known_at=dt.datetime(2022, 6, 10, 9, 0, tzinfo=dt.UTC),
        notified_at=dt.datetime(2022, 6, 10, 15, 0, tzinfo=dt.UTC),
        findings="incident-marker-30",
    )
    return [audit_, incident]
def _feedback(child, service, worker) -> list:
    """Feedback (yjs.voice): her answers at the end of her order, typed in from paper, and a
    one-time link she was given."""
    from yjs.voice.models import Answer, FeedbackLink, FeedbackResponse, Question, Questionnaire

    survey = Questionnaire.objects.create(service=service, title="End of order", stage="END")
    question = Question.objects.create(questionnaire=survey, text="What changed?", kind="TEXT")
    response = FeedbackResponse.objects.create(
        child=child,
        questionnaire=survey,
        respondent="CHILD",
        answered_on=D(2022, 7, 1),
        entered_by=worker,
        consent_to_share=True,
        consent_by="CHILD",
        consent_on=D(2022, 7, 1),
    )
    answer = Answer.objects.create(response=response, question=question, text="feedback-marker-27")
    link = FeedbackLink.objects.create(
        child=child,
        questionnaire=survey,
        respondent="CHILD",
        token_hash="0" * 64,
        made_by=worker,
        made_at=dt.datetime(2022, 6, 30, 12, tzinfo=dt.UTC),
        expires_at=dt.datetime(2022, 7, 7, 12, tzinfo=dt.UTC),
        used_at=dt.datetime(2022, 7, 1, 12, tzinfo=dt.UTC),
        response=response,
    )
    return [response, answer, link]


def _court(child, offence, outcome, manager) -> list:
    """Court work (yjs.court): the sentencing hearing and the pre-sentence report it asked for."""
    from yjs.court import models as court

    hearing = court.Hearing.objects.create(
        child=child,
        court="Northshire Youth Court",
        hearing_date=D(2022, 3, 1),
        hearing_type="SENTENCE",
        result="hearing-marker-20",
    )
    hearing.offences.set([offence])
    report = court.PreSentenceReport.objects.create(
        child=child,
        requested_at=hearing,
        requested_on=D(2022, 3, 1),
        due_on=D(2022, 3, 20),
        proposal=outcome.code,
        gatekept_on=D(2022, 3, 15),
        gatekept_by=manager,
        submitted_on=D(2022, 3, 16),
        outcome=outcome,
    )
    return [hearing, report]


def _documents(child, worker) -> list:
    """A document on the record (yjs.documents): its row only, no file written (erasure deletes
    the file by its name; a missing one is no error)."""
    from yjs.documents.models import Attachment

    return [
        Attachment.objects.create(
            child=child,
            kind="COURT_ORDER",
            document_date=D(2022, 4, 1),
            description="document-marker-22",
            original_name="order.pdf",
            file="ab/ab0000000000000000000000000000.pdf",
            size=1234,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=worker,
        )
    ]


def _diary(child, order, worker) -> list:
    """The diary (yjs.diary): a cancelled appointment, the contact frequency and a task."""
    from yjs.diary import models as diary

    appointment = diary.PlannedAppointment.objects.create(
        child=child,
        worker=worker,
        date=D(2022, 5, 10),
        start_time=dt.time(10),
        end_time=dt.time(11),
        place="diary-place-marker-22",
        with_whom=f"{FIRST} and her aunt",
        kind="SUPERVISION",
        order=order,
        status="CANCELLED",
        status_reason="diary-reason-marker-23",
    )
    frequency = diary.ContactFrequency.objects.create(
        child=child, contacts=2, per="WEEK", start_date=D(2022, 4, 4), order=order
    )
    task = diary.Task.objects.create(
        owner=worker, child=child, title="task-marker-24", kind="OTHER", due_date=D(2022, 5, 1)
    )
    return [appointment, frequency, task]


def _people(child, service) -> list:
    """People and places (yjs.people): her mother, her address, school, GP and social worker.
    The mother's contact details are hers, not Zephyrine's: a subject access export withholds
    them, so her marker is in the language (shown) and her phone is checked on its own."""
    from yjs.people import models as pp

    return [
        pp.RelatedPerson.objects.create(
            child=child,
            name="Hester Quillfeather",
            relationship="MOTHER",
            parental_responsibility=True,
            phone="01632 960 222",
            address="1 Marker Row",
            postcode="NE1 4ST",
            interpreter_needed=True,
            language="people-marker-22",
        ),
        pp.Address.objects.create(
            child=child,
            kind="HOME",
            line_1="address-marker-23",
            town="Northtown",
            postcode="NE2 5QQ",
            local_authority=service.local_authorities.first(),
            start_date=D(2015, 1, 1),
        ),
        pp.EtePlacement.objects.create(child=child, name="school-marker-24", kind="SCHOOL"),
        pp.GeneralPractitioner.objects.create(child=child, practice_name="gp-marker-25"),
        pp.Professional.objects.create(
            child=child,
            name="Idris Blackwood",
            role="SOCIAL_WORKER",
            agency="professional-marker-26",
        ),
    ]
