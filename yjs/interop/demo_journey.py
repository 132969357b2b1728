"""The statutory journey in the Northshire demo (issue 10): how its outcomes were reached and how
its orders are supervised.

`yjs.interop.demo` generates each child's offences, outcomes and work; `JourneyWork` then adds,
for the same child and consistent with those records:

- court work: the hearings of every court case (first appearance, trial, sentence), the bail or
  remand decision kept on the remand record the demo already made, pre-sentence reports
  (gatekept by the team manager, submitted, proposal mostly the sentence), and for the cases
  still before the court the next hearing and the report being written;
- out-of-court joint decision-making panels for most pre-court outcomes (the police decision is
  the outcome already recorded, linked to it: no new outcome), a few police decisions to charge
  before court, and panels booked or awaiting the decision for the cases not decided yet;
- supervision of the youth rehabilitation orders and referral orders of the last year or so:
  requirements with hours or days ordered and completed, appointments kept or missed, warnings,
  breach proceedings (every order that ended "breached" has one), extensions of a few YROs
  (`Outcome.varies`: no new outcome in any KPI);
- referral decisions: who decided, and earlier referrals that were signposted, declined or
  needed no further action;
- the PNC's earlier-outcome flag on a few children with no substantive outcome in the demo.

Everything is drawn from a random stream of its own, so the rest of the demo (and every KPI
figure read from it) is record for record what it was without these records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from yjs import codes, periods
from yjs.casework import models as cw
from yjs.court.models import Hearing, PreSentenceReport
from yjs.diversion.models import CHARGE, OutOfCourtPanel, PanelAttendee
from yjs.supervision.models import (
    REFERRAL_ORDER,
    YRO,
    Appointment,
    Breach,
    Requirement,
    Warning,
)

D = dt.timedelta
H = Hearing.Type
K = Requirement.Kind
A = Appointment.Attendance
COURTS = ("Northshire Youth Court", "Eastmoor Youth Court")

# Orders supervised in the demo: those open today or ended within this many days.
SUPERVISED_WITHIN_DAYS = 400
MAX_APPOINTMENTS = 80
# Extensions on application (besides any a breach leads to), across the service.
EXTENSIONS_ON_APPLICATION = 2

# The YRO requirement texts of `demo.YRO_REQUIREMENTS` (as on the outcome) and their kinds.
YRO_KIND = {
    "Supervision": K.SUPERVISION,
    "Activity": K.ACTIVITY,
    "Curfew": K.CURFEW,
    "Electronic monitoring": K.ELECTRONIC_MONITORING,
    "Programme": K.PROGRAMME,
    "Attendance centre": K.ATTENDANCE_CENTRE,
    "Education": K.EDUCATION,
    "Mental health treatment": K.MENTAL_HEALTH,
    "Drug treatment": K.DRUG_TREATMENT,
    "Unpaid work": K.UNPAID_WORK,
    "Prohibited activity": K.PROHIBITED_ACTIVITY,
    "Intensive supervision and surveillance (ISS)": K.ISS,
}
APPOINTMENT_KIND = {
    K.SUPERVISION: "SUPERVISION",
    K.CONTRACT_REPORTING: "SUPERVISION",
    K.UNPAID_WORK: "UNPAID_WORK",
    K.REPARATION: "UNPAID_WORK",
    K.ACTIVITY: "PROGRAMME",
    K.PROGRAMME: "PROGRAMME",
    K.CONTRACT_ACTIVITY: "PROGRAMME",
    K.ATTENDANCE_CENTRE: "ATTENDANCE_CENTRE",
    K.MENTAL_HEALTH: "TREATMENT",
    K.DRUG_TREATMENT: "TREATMENT",
    K.ISS: "SUPERVISION",
}
# What a pre-sentence report proposed when the court gave something else.
OTHER_PROPOSAL = {
    "S259_DETENTION": "S250_DETENTION",
    "S250_DETENTION": "DTO",
    "DTO": "YRO",
    "YRO": "REFERRAL_ORDER",
    "REFERRAL_ORDER": "YRO",
}
# The service's recommendation at a panel when the police decided otherwise, and why.
OTHER_RECOMMENDATION = {
    "YOUTH_CONDITIONAL_CAUTION": (
        "YOUTH_CAUTION",
        "The police judged the offence needed conditions the child must keep.",
    ),
    "YOUTH_CAUTION": (
        "OUTCOME_22",
        "The victim's injuries meant the police would not agree to Outcome 22.",
    ),
    "OUTCOME_22": (
        "COMMUNITY_RESOLUTION",
        "The police wanted the child to do diversionary work, not only to apologise.",
    ),
    "OUTCOME_22_DEFERRED": (
        "OUTCOME_22",
        "The police deferred the prosecution so the conditions could be enforced.",
    ),
    "COMMUNITY_RESOLUTION": (
        "OUTCOME_22",
        "The child had no earlier contact with the police and the harm was small.",
    ),
    "OUTCOME_20_21": (
        "COMMUNITY_RESOLUTION",
        "The police decided further action was not in the public interest.",
    ),
}
PANEL_CHANCE = {"COMMUNITY_RESOLUTION": 0.3}  # others: most go to the joint panel
PANEL_DEFAULT_CHANCE = 0.85

POLICE = (
    ("PC Dan Holt", "Youth out-of-court disposal officer"),
    ("Sgt Karen Day", "Custody sergeant, out-of-court decisions"),
    ("PC Jas Gill", "Youth out-of-court disposal officer"),
)
PARTNERS = (
    (PanelAttendee.Agency.SOCIAL_CARE, "Nadia Hart", "Social worker"),
    (PanelAttendee.Agency.EDUCATION, "Paul Quinn", "Inclusion lead"),
    (PanelAttendee.Agency.HEALTH, "Ruth Amos", "Youth justice nurse"),
)
CHILD_VIEWS = (
    "I know what I did was wrong and I want to put it right.",
    "I was with older lads and went along with it. I want to keep my college place.",
    "I don't want a record. I'll do the sessions.",
    "I was angry that day. I'd like help with that.",
)
FAMILY_VIEWS = (
    "Mum supports the work and will make sure he gets to the sessions.",
    "Dad is worried about the friends she has been spending time with.",
    "Her carer wants her to get help with her anger and will come to the sessions.",
    "Grandmother was not able to attend; her views were taken by phone.",
)
ASSESSMENTS = (
    "Short assessment: low likelihood of reoffending; education and peer influence to work on.",
    "Prevention and diversion assessment: first contact; admits the offence; engaged well.",
    "Some concerns about exploitation; a safety plan is in place with social care.",
    "Speech and language needs identified: sessions to be short and visual.",
)
DECISION_REASONS = (
    "The child admitted the offence and has no earlier outcomes.",
    "Proportionate to the harm caused; the victim agreed.",
    "The child engaged with the assessment and the family will support the work.",
)
EARLIER_REFERRALS = {
    # decision: (weight, reason for the referral, reason for the decision)
    "SIGNPOSTED": (
        5,
        "Worries about missing school and staying out late",
        "Signposted to Early Help: the needs are about family support, not offending",
    ),
    "NFA": (
        4,
        "Reported by school for a fight in the playground",
        "No further action: the school dealt with it and no youth justice work is needed",
    ),
    "DECLINED": (
        1,
        "Concerns about older friends in the area",
        "Declined: the child was already on a mentoring programme with the youth service",
    ),
}
EXTENSION_REASONS = (
    "Application to extend the order granted: six more months to complete the requirements "
    "missed while the child was in hospital",
    "Application to extend the order granted: six more months to finish the programme after "
    "the family moved and the child changed school",
)
BREACH_REASON = (
    "Missed appointments without an acceptable reason after two warnings in twelve months"
)


@dataclass
class Episode:
    """One offence episode of `demo._Generator.episode`: its offences, referral and (once
    decided) outcome and the intervention that carries it out."""

    code: str
    court: bool
    offences: list
    referral: cw.Referral
    first_hearing: dt.date | None
    outcome_date: dt.date
    remand: cw.Remand | None = None
    outcome: cw.Outcome | None = None
    intervention: cw.Intervention | None = None
    panels: list = field(default_factory=list)  # referral order panels


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _weekday(d: dt.date) -> dt.date:
    """The day, or the Monday after a weekend day."""
    return d + D(days=max(0, 7 - d.weekday())) if d.weekday() >= 5 else d


class JourneyWork:
    """Adds the issue-10 records of each demo child to the generator's rows (see module doc)."""

    MODELS = (
        Hearing,
        PreSentenceReport,
        OutOfCourtPanel,
        PanelAttendee,
        Requirement,
        Appointment,
        Warning,
        Breach,
    )

    def __init__(self, gen, seed: int):
        self.gen = gen
        self.rng = random.Random(seed + 2)  # a stream of its own: the journeys stay as they were
        self.today = gen.today
        self.links: dict[type, list] = {Hearing: [], OutOfCourtPanel: []}  # (record, offence)
        self.variations: list[tuple[cw.Outcome, list]] = []  # saved after the orders they vary
        self.pending_breaches = 0
        self.extensions = 0
        # So that each kind of alert has something to show (see `court_work`, `supervision`):
        self.hearing_tomorrow = False
        self.at_warning_threshold: set[str] = set()  # teams with an order at the threshold
        self.breach_planned = False
        self.ending_soon: set[str] = set()  # teams with a requirement ending in 14 days

    def add(self, obj):
        return self.gen.add(obj)

    def link(self, record, offences):
        self.links[type(record)].extend((record, o) for o in offences)

    # ----------------------------------------------------------------------- per child

    def child(self, ctx):
        self.referrals(ctx)
        for ep in ctx.episodes:
            if not ep.offences:
                continue
            if ep.court:
                self.court_work(ctx, ep)
            else:
                self.panel(ctx, ep)
            if ep.outcome is not None and ep.outcome.code in (YRO, REFERRAL_ORDER):
                self.supervision(ctx, ep)
        self.pnc_flag(ctx)

    def referrals(self, ctx):
        """Who decided each referral; now and then an earlier referral not taken on."""
        rng, manager = self.rng, self.gen.managers[ctx.team_name]
        for referral in ctx.referrals:
            if referral.decision:
                referral.decided_by = manager
        if rng.random() >= 0.08:
            return
        received = ctx.entry - D(days=rng.randint(60, 400))
        if received < dt.date(2022, 4, 1) or periods.age_on(ctx.dob, received) < 10:
            return
        decision = _weighted(rng, {k: w for k, (w, _r, _d) in EARLIER_REFERRALS.items()})
        _w, reason, why = EARLIER_REFERRALS[decision]
        self.add(
            cw.Referral(
                child=ctx.child,
                received_on=received,
                source=_weighted(rng, {"EDUCATION": 4, "EARLY_HELP": 2, "FAMILY": 1}),
                pathway="PREVENTION",
                reason=reason,
                decision=decision,
                decided_on=received + D(days=rng.randint(1, 10)),
                decided_by=manager,
                decision_reason=why,
            )
        )

    def pnc_flag(self, ctx):
        """The Police National Computer shows a caution given elsewhere to a few children whose
        outcomes here are all non-substantive: they will be no first-time entrants either."""
        if ctx.awaiting or any(codes.OUTCOME_BY_CODE[o.code].substantive for o in ctx.outcomes):
            return
        if ctx.outcomes and self.rng.random() < 0.03:
            ctx.child.previous_substantive_outcome = True

    # ----------------------------------------------------------------------- court work

    def court_work(self, ctx, ep: Episode):
        rng, today = self.rng, self.today
        fh = ep.first_hearing
        if fh is None or fh > today:
            return  # not in court yet
        if rng.random() < 0.12:
            self.charge_panel(ctx, ep)
        outcome = ep.outcome
        court = outcome.court if outcome is not None else rng.choice(COURTS)
        wants_report = rng.random() < (
            0.8
            if outcome is None  # still before the court: mostly adjourned for the report
            else 0.95
            if ep.code in ("DTO", "S250_DETENTION", "S259_DETENTION")
            else 0.9
            if ep.code == YRO
            else 0.3
            if ep.code == REFERRAL_ORDER
            else 0.1
        )
        report_text = "Adjourned for a pre-sentence report" if wants_report else "Adjourned"
        # (date, type, result) of each hearing held; the last may adjourn to `upcoming`
        plan: list[tuple[dt.date, str, str]] = []
        upcoming = None
        if outcome is not None:
            sentence = outcome.outcome_date
            words = self.sentence_words(outcome)
            gap = (sentence - fh).days
            if gap == 0:
                plan = [
                    (fh, H.FIRST_APPEARANCE, f"Pleaded guilty. Sentenced the same day: {words}")
                ]
                wants_report = False
            elif gap > 60 and rng.random() < 0.5:
                trial = fh + D(days=rng.randint(21, gap - 21))
                plan = [
                    (fh, H.FIRST_APPEARANCE, "Pleaded not guilty. Adjourned for trial"),
                    (trial, H.TRIAL, f"Found guilty after trial. {report_text}"),
                    (sentence, H.SENTENCE, f"Sentenced: {words}"),
                ]
            else:
                plan = [
                    (fh, H.FIRST_APPEARANCE, f"Pleaded guilty. {report_text} for sentence"),
                    (sentence, H.SENTENCE, f"Sentenced: {words}"),
                ]
        else:
            # Still before the court: the hearings so far and the next one, often soon.
            plan = [(fh, H.FIRST_APPEARANCE, "Pleaded not guilty. Adjourned for trial")]
            if (today - fh).days > 50 and rng.random() < 0.6:
                trial = fh + D(days=rng.randint(21, (today - fh).days - 14))
                plan.append((trial, H.TRIAL, f"Found guilty after trial. {report_text}"))
            else:
                plan[0] = (fh, H.FIRST_APPEARANCE, f"Pleaded guilty. {report_text} for sentence")
            days = rng.randint(1, 10) if rng.random() < 0.7 else rng.randint(11, 30)
            if not self.hearing_tomorrow:  # the first such case is in court the next working day
                days, self.hearing_tomorrow = 1, True
            upcoming = periods.add_working_days(today, days)
        hearings = []
        for i, (when, kind, result) in enumerate(plan):
            following = plan[i + 1][0] if i + 1 < len(plan) else upcoming
            hearing = Hearing(
                child=ctx.child,
                court=court,
                hearing_date=when,
                hearing_type=kind,
                result=result,
                next_hearing_date=following,
            )
            if i == 0 and ep.remand is not None and ep.remand.start_date == fh:
                # the decision the demo already kept as a remand record (no second record)
                hearing.bail_decision = ep.remand.decision
                hearing.remand = ep.remand
            self.add(hearing)
            self.link(hearing, ep.offences)
            hearings.append(hearing)
        if wants_report and (len(plan) > 1 or upcoming):
            asked = hearings[-2] if outcome is not None else hearings[-1]
            self.report(ctx, ep.code, asked, outcome, upcoming)

    def sentence_words(self, outcome) -> str:
        words = outcome.get_code_display()
        if outcome.length_months:
            words += f", {outcome.length_months} months"
        if outcome.yro_requirements:
            words += f" ({outcome.yro_requirements.lower()})"
        return words

    def report(self, ctx, code, asked: Hearing, outcome, upcoming: dt.date | None):
        """The pre-sentence report asked for at `asked`: submitted before the sentence
        (`outcome`), or (before the court still) due a working day before the next hearing."""
        rng, today = self.rng, self.today
        manager = self.gen.managers[ctx.team_name]
        requested = asked.hearing_date
        sentence = outcome.outcome_date if outcome is not None else upcoming
        due = max(requested, periods.add_working_days(sentence, -1))
        report = PreSentenceReport(
            child=ctx.child, requested_at=asked, requested_on=requested, due_on=due
        )
        if outcome is not None:
            gatekept = max(requested, periods.add_working_days(due, -rng.randint(1, 3)))
            submitted = due if rng.random() < 0.85 else max(gatekept, due - D(days=1))
            if rng.random() < 0.05:
                submitted = sentence  # late: handed up on the day
            report.proposal = (
                outcome.code
                if rng.random() < 0.8
                else OTHER_PROPOSAL.get(outcome.code, REFERRAL_ORDER)
            )
            report.gatekept_on, report.gatekept_by = gatekept, manager
            report.submitted_on, report.outcome = submitted, outcome
        elif due <= periods.add_working_days(today, 3) and rng.random() < 0.6:
            # nearly due: written and signed off, waiting to go to the court
            report.gatekept_on = max(requested, min(today, periods.add_working_days(due, -1)))
            report.gatekept_by = manager
            report.proposal = code
        self.add(report)

    def charge_panel(self, ctx, ep: Episode):
        """A joint decision-making panel before court that decided to charge (no outcome)."""
        rng = self.rng
        latest = max(o.offence_date for o in ep.offences)
        room = (ep.first_hearing - latest).days
        if room < 20:
            return
        received = latest + D(days=rng.randint(2, 7))
        panel_date = received + D(days=rng.randint(3, room - 12))
        decided = panel_date + D(days=rng.randint(0, 3))
        referral = self.add(
            cw.Referral(
                child=ctx.child,
                received_on=received,
                source="POLICE",
                pathway="OOCD",
                reason="Referred for a joint decision: " + ep.referral.reason,
                decision="ACCEPTED",
                decided_on=received + D(days=1),
                decided_by=self.gen.managers[ctx.team_name],
            )
        )
        recommended = rng.choice(("YOUTH_CONDITIONAL_CAUTION", "OUTCOME_22", CHARGE))
        self.add_panel(
            ctx,
            ep,
            referral,
            panel_date,
            recommendation=recommended,
            decision=CHARGE,
            decided_on=decided,
            reason="The seriousness of the offence means it must be dealt with by the court."
            if recommended != CHARGE
            else "The child did not admit the offence.",
        )

    # ----------------------------------------------------------------------- panels

    def panel(self, ctx, ep: Episode):
        """The joint decision-making panel of a pre-court outcome (or one still to decide)."""
        rng, today = self.rng, self.today
        if rng.random() >= PANEL_CHANCE.get(ep.code, PANEL_DEFAULT_CHANCE):
            return
        floor = max(ep.referral.received_on, *(o.offence_date for o in ep.offences))
        if ep.outcome is not None:
            decided = ep.outcome.outcome_date
            panel_date = max(floor, decided - D(days=rng.randint(0, 7)))
            recommendation, reason = ep.code, rng.choice(DECISION_REASONS)
            if rng.random() < 0.15:
                recommendation, reason = OTHER_RECOMMENDATION.get(ep.code, (ep.code, reason))
            self.add_panel(
                ctx,
                ep,
                ep.referral,
                panel_date,
                recommendation=recommendation,
                decision=ep.code,
                decided_on=decided,
                reason=reason,
                outcome=ep.outcome,
            )
            return
        # not decided yet: a panel booked ahead, or held and waiting for the police
        held = max(floor, today - D(days=rng.randint(1, 8)))
        if rng.random() < 0.5 or held >= today:
            self.add_panel(
                ctx, ep, ep.referral, periods.add_working_days(today, rng.randint(1, 10))
            )
        else:
            self.add_panel(ctx, ep, ep.referral, held, recommendation=ep.code)

    def add_panel(
        self,
        ctx,
        ep: Episode,
        referral,
        panel_date,
        *,
        recommendation="",
        decision="",
        decided_on=None,
        reason="",
        outcome=None,
    ):
        rng = self.rng
        held = panel_date <= self.today
        panel = self.add(
            OutOfCourtPanel(
                child=ctx.child,
                referral=referral,
                panel_date=panel_date,
                child_views=rng.choice(CHILD_VIEWS) if held else "",
                family_views=rng.choice(FAMILY_VIEWS) if held else "",
                assessment_summary=rng.choice(ASSESSMENTS) if held else "",
                recommendation=recommendation,
                police_decision=decision,
                decided_on=decided_on,
                decision_reason=reason,
                outcome=outcome,
            )
        )
        self.link(panel, ep.offences)
        if not held:
            return
        worker = ctx.child.allocated_worker or ctx.worker
        self.add(
            PanelAttendee(
                panel=panel,
                agency=PanelAttendee.Agency.YJS,
                name=worker.get_full_name(),
                role=worker.job_title,
            )
        )
        name, role = rng.choice(POLICE)
        self.add(
            PanelAttendee(panel=panel, agency=PanelAttendee.Agency.POLICE, name=name, role=role)
        )
        for agency, name, role in PARTNERS:
            chance = 0.9 if agency == PanelAttendee.Agency.SOCIAL_CARE and ctx.looked_after else 0.2
            if rng.random() < chance:
                self.add(PanelAttendee(panel=panel, agency=agency, name=name, role=role))

    # ----------------------------------------------------------------------- supervision

    def supervision(self, ctx, ep: Episode):
        """Requirements, appointments, warnings and breach of a YRO or referral order open now
        or ended within SUPERVISED_WITHIN_DAYS."""
        rng, today = self.rng, self.today
        order, work = ep.outcome, ep.intervention
        if work is None or (
            work.end_date and work.end_date < today - D(days=SUPERVISED_WITHIN_DAYS)
        ):
            return
        order_end = periods.add_months(order.outcome_date, order.length_months)
        initial = next((p.panel_date for p in ep.panels if p.panel_type == "INITIAL"), None)
        start = initial or order.outcome_date
        requirements = (
            self.yro_requirements(ctx, order, order_end, running=work.end_date is None)
            if order.code == YRO
            else self.contract(ctx, order, start, order_end)
        )
        stop = min(work.end_date or today, today - D(days=1), order_end)
        self.completion(requirements, work, stop)
        breached_end = work.end_reason == "BREACHED"
        poor = breached_end or rng.random() < 0.2
        appointments = self.appointments(ctx, order, requirements, start, stop, poor)
        for panel in ep.panels:
            if panel.panel_date <= stop:
                appointments.append(
                    Appointment(
                        child=ctx.child,
                        order=order,
                        appointment_date=panel.panel_date,
                        kind="PANEL",
                        attendance=A.KEPT,
                        notes=f"{panel.get_panel_type_display()} panel",
                    )
                )
        appointments.sort(key=lambda a: a.appointment_date)
        if breached_end:  # the failures that ended the order
            self.fail_last(appointments, work.end_date - D(days=10), 3)
        elif (
            order.code == YRO
            and work.end_date is None
            and ctx.team_name not in self.at_warning_threshold
            and len(appointments) >= 6
        ):
            # In each team one open YRO whose child has been warned twice lately: the next
            # unacceptable absence goes back to court (the warnings alert).
            self.at_warning_threshold.add(ctx.team_name)
            for a in appointments:
                if a.attendance == A.UNACCEPTABLE:
                    a.attendance = A.KEPT
            for a in (appointments[-5], appointments[-2]):
                a.attendance = A.UNACCEPTABLE
        elif (
            order.code == YRO
            and work.end_date is None
            and not (self.pending_breaches or self.breach_planned)
            and len(appointments) >= 8
        ):
            # One open YRO back in court for a breach whose result is not known yet.
            self.breach_planned = True
            self.fail_last(appointments, today - D(days=21), 3)
        breach = self.warnings_and_breach(ctx, ep, appointments, order_end)
        for a in appointments:
            self.add(a)
        if breach is None and order.code == YRO and work.end_date is None:
            self.maybe_extend_on_application(ctx, ep, order_end)

    @staticmethod
    def fail_last(appointments, by: dt.date, n: int):
        """The child missed the last `n` appointments up to `by` without an acceptable reason
        (and kept or was excused from the others)."""
        for a in appointments:
            if a.attendance == A.UNACCEPTABLE:
                a.attendance = A.KEPT
        for a in [a for a in appointments if a.appointment_date <= by][-n:]:
            a.attendance = A.UNACCEPTABLE

    def yro_requirements(self, ctx, order, order_end, *, running: bool) -> list[Requirement]:
        rng = self.rng
        soon = (self.today, self.today + D(days=14))
        texts = [t.strip() for t in order.yro_requirements.split(",") if t.strip()]
        kinds = [YRO_KIND[t] for t in texts if t in YRO_KIND] or [K.SUPERVISION]
        if K.SUPERVISION not in kinds and rng.random() < 0.7:
            kinds.insert(0, K.SUPERVISION)
        start, rows = order.outcome_date, []
        age = periods.age_on(ctx.dob, start)
        for kind in kinds:
            req = Requirement(
                child=ctx.child,
                order=order,
                kind=kind,
                start_date=start,
                planned_end_date=order_end,
            )
            months = None
            if kind == K.ACTIVITY:
                req.unit, req.ordered = Requirement.Unit.DAYS, rng.choice((10, 20, 30, 45, 60))
            elif kind == K.PROGRAMME:
                req.unit, req.ordered = Requirement.Unit.SESSIONS, rng.randint(8, 16)
            elif kind == K.ATTENDANCE_CENTRE:
                req.unit = Requirement.Unit.HOURS
                req.ordered = rng.choice((12, 18, 24, 36)) if age >= 14 else rng.choice((6, 12))
            elif kind == K.UNPAID_WORK:
                req.unit, req.ordered = Requirement.Unit.HOURS, rng.choice((40, 60, 80, 100, 120))
                months = 12
            elif kind == K.CURFEW:
                req.curfew_hours = rng.choice((8, 10, 10, 12))
                req.details = "7pm to 7am at home" if req.curfew_hours == 12 else "8pm to 6am"
                months = rng.choice((2, 3, 3, 6))
            elif kind == K.ELECTRONIC_MONITORING:
                months = rng.choice((2, 3, 6))
            elif kind == K.ISS:
                req.unit, req.ordered, months = Requirement.Unit.DAYS, 180, 6
            if months and running:
                # a time-limited requirement of a running order may be about to end (in each
                # team the first that can: the "requirement ending" alert)
                ending = [
                    m for m in range(1, 13) if soon[0] <= periods.add_months(start, m) <= soon[1]
                ]
                first = ctx.team_name not in self.ending_soon
                if ending and (first or rng.random() < 0.3):
                    months = ending[0]
                    self.ending_soon.add(ctx.team_name)
            if months:
                req.planned_end_date = min(order_end, periods.add_months(start, months))
            rows.append(self.add(req))
        return rows

    def contract(self, ctx, order, start, order_end) -> list[Requirement]:
        """The youth offender contract agreed at the initial panel."""
        rng = self.rng
        elements = [(K.CONTRACT_REPORTING, None, None)]
        if rng.random() < 0.8:
            elements.append((K.REPARATION, Requirement.Unit.HOURS, rng.choice((4, 6, 8, 10, 15))))
        extra = [
            (K.CONTRACT_EDUCATION, None, None),
            (K.CONTRACT_ACTIVITY, Requirement.Unit.SESSIONS, rng.randint(4, 10)),
            (K.RESTORATIVE_MEETING, None, None),
            (K.CONTRACT_RESTRICTION, None, None),
            (K.CONTRACT_HOME, None, None),
        ]
        elements += rng.sample(extra, rng.randint(1, 2))
        return [
            self.add(
                Requirement(
                    child=ctx.child,
                    order=order,
                    kind=kind,
                    start_date=start,
                    planned_end_date=order_end,
                    unit=unit or "",
                    ordered=ordered,
                )
            )
            for kind, unit, ordered in elements
        ]

    def completion(self, requirements, work, stop):
        """Hours, days or sessions done by `stop`: all of them on an order completed."""
        rng = self.rng
        for req in requirements:
            if req.ordered is None:
                continue
            if work.end_reason == "COMPLETED" or (
                req.planned_end_date <= stop and work.end_date is None
            ):
                req.completed = req.ordered
                continue
            span = max(1, (req.planned_end_date - req.start_date).days)
            done = min(1.0, max(0, (stop - req.start_date).days) / span)
            pace = rng.uniform(0.4, 0.8) if work.end_date else rng.uniform(0.7, 1.1)
            req.completed = min(req.ordered, round(req.ordered * done * pace))

    def appointments(self, ctx, order, requirements, start, stop, poor) -> list[Appointment]:
        """Weekly for twelve weeks, then fortnightly, each for an active requirement."""
        rng = self.rng
        misses = (0.8, 0.1, 0.1) if poor else (0.93, 0.05, 0.02)
        found, day = [], _weekday(start + D(days=rng.randint(2, 6)))
        while day <= stop and len(found) < MAX_APPOINTMENTS:
            active = [
                r for r in requirements if r.start_date <= day <= r.planned_end_date
            ] or requirements
            req = rng.choice(active)
            kind = APPOINTMENT_KIND.get(req.kind)
            if kind is None or rng.random() < 0.35:  # most sessions are supervision
                req = next(
                    (r for r in active if APPOINTMENT_KIND.get(r.kind) == "SUPERVISION"), None
                )
                kind = "SUPERVISION" if req is not None or rng.random() < 0.8 else "HOME_VISIT"
            found.append(
                Appointment(
                    child=ctx.child,
                    order=order,
                    requirement=req,
                    appointment_date=day,
                    kind=kind,
                    attendance=rng.choices((A.KEPT, A.ACCEPTABLE, A.UNACCEPTABLE), misses)[0],
                )
            )
            step = 7 if len(found) < 12 else 14
            day = _weekday(day + D(days=step + rng.randint(-1, 1)))
        for a in found:
            if a.attendance == A.ACCEPTABLE:
                a.notes = rng.choice(("Ill: mum phoned in", "Hospital appointment", "School exam"))
            elif a.attendance == A.UNACCEPTABLE:
                a.notes = "No contact and no reason given"
        return found

    def warnings_and_breach(self, ctx, ep: Episode, appointments, order_end) -> Breach | None:
        """A warning for each unacceptable absence; the next one after two warnings in twelve
        months begins breach proceedings. After a breach the child complied."""
        rng, today = self.rng, self.today
        order, work = ep.outcome, ep.intervention
        warned: list[dt.date] = []
        breach = None
        for a in appointments:
            if a.attendance != A.UNACCEPTABLE:
                continue
            if breach is not None:
                a.attendance, a.notes = A.KEPT, ""
                continue
            since = periods.add_months(a.appointment_date, -12)
            if sum(w > since for w in warned) < 2:
                on = min(a.appointment_date + D(days=rng.randint(0, 3)), today, order_end)
                self.add(
                    Warning(
                        child=ctx.child,
                        order=order,
                        appointment=a,
                        warned_on=on,
                        reason="Missed the appointment without an acceptable reason",
                        given_by=work.worker,
                    )
                )
                warned.append(on)
                continue
            began = min(a.appointment_date + D(days=rng.randint(2, 10)), today)
            breach = self.add(
                Breach(
                    child=ctx.child,
                    order=order,
                    breach_date=began,
                    proceedings=Breach.Proceedings.COURT
                    if order.code == YRO
                    else Breach.Proceedings.PANEL,
                    reason=BREACH_REASON,
                )
            )
            self.breach_result(ctx, ep, breach, order_end)
        return breach

    def breach_result(self, ctx, ep: Episode, breach: Breach, order_end):
        rng, today = self.rng, self.today
        order, work = ep.outcome, ep.intervention
        court = breach.proceedings == Breach.Proceedings.COURT
        if work.end_reason == "BREACHED" and work.end_date and work.end_date >= breach.breach_date:
            breach.result = Breach.Result.REVOKED if court else Breach.Result.PANEL_TO_COURT
            breach.result_date = work.end_date
        elif work.end_date is None and not self.pending_breaches:
            self.pending_breaches += 1  # left for the practitioner: "record the result"
            if court and breach.breach_date + D(days=7) < today:
                upcoming = periods.add_working_days(today, rng.randint(2, 8))
                hearing = self.hearing_for(
                    ctx,
                    ep,
                    breach.breach_date + D(days=rng.randint(5, 7)),
                    H.BREACH,
                    "Breach admitted. Adjourned for a report on the breach",
                    upcoming=upcoming,
                )
                self.report(ctx, order.code, hearing, None, upcoming)
            return
        else:
            when = min(breach.breach_date + D(days=rng.randint(14, 35)), today)
            if work.end_date:
                when = max(breach.breach_date, min(when, work.end_date))
            breach.result_date = when
            extend = (
                court
                and work.end_date is None
                and self.extensions == 0
                and self.extension_fits(ctx, order, when, order_end)
            )
            if extend:
                breach.result = Breach.Result.EXTENDED
                self.extend(ctx, ep, when, "Breach proven. Order extended by six months")
                return
            breach.result = (
                _weighted(rng, {Breach.Result.CONTINUED: 3, Breach.Result.FINE: 2})
                if court
                else Breach.Result.PANEL_CONTINUED
            )
        if court:
            words = breach.get_result_display()
            self.hearing_for(ctx, ep, breach.result_date, H.BREACH, f"Breach proven. {words}")

    def hearing_for(self, ctx, ep: Episode, when, kind, result, upcoming=None):
        hearing = self.add(
            Hearing(
                child=ctx.child,
                court=ep.outcome.court or COURTS[0],
                hearing_date=when,
                hearing_type=kind,
                result=result,
                next_hearing_date=upcoming,
            )
        )
        self.link(hearing, ep.offences)
        return hearing

    def extension_fits(self, ctx, order, when, order_end) -> bool:
        """An extension by six months (up to the three-year limit), decided while the order
        runs, ending before the child is 17 and a half (no transition decision to revisit)."""
        new_end = periods.add_months(order.outcome_date, min(order.length_months + 6, 36))
        return (
            order.outcome_date + D(days=30) <= when <= order_end
            and when <= self.today
            and new_end < periods.add_months(ctx.dob, 17 * 12 + 6)
        )

    def maybe_extend_on_application(self, ctx, ep: Episode, order_end):
        if self.extensions >= 1 + EXTENSIONS_ON_APPLICATION or self.rng.random() >= 0.25:
            return
        when = self.today - D(days=self.rng.randint(7, 60))
        if self.extension_fits(ctx, ep.outcome, when, order_end):
            self.extend(ctx, ep, when, self.rng.choice(EXTENSION_REASONS))

    def extend(self, ctx, ep: Episode, when, words):
        """A variation extending the order by six months: an Outcome that `varies` it (never
        a new outcome in the KPIs), its hearing, and the work's planned end moved."""
        order = ep.outcome
        months = min(order.length_months + 6, 36)
        variation = cw.Outcome(
            child=ctx.child,
            code=order.code,
            outcome_date=when,
            first_hearing_date=when,
            court=order.court,
            length_months=months,
            yro_requirements=order.yro_requirements,
            appeal_status="NONE",
            residence=order.residence,
            is_variation=True,
            varies=order,
        )
        self.variations.append((variation, ep.offences))
        ep.intervention.planned_end_date = periods.add_months(order.outcome_date, months)
        self.hearing_for(ctx, ep, when, H.REVIEW if "Application" in words else H.BREACH, words)
        self.extensions += 1
