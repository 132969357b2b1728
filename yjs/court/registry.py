"""What court work plugs into the child's record and the casework pages (called from
CourtConfig.ready()): record pages, rules, a section, links, timeline entries and alerts."""

from __future__ import annotations

from yjs.casework import extensions, records
from yjs.casework import selectors as casework_selectors
from yjs.casework import services as casework_services

from . import forms, selectors, services
from .models import Hearing, PreSentenceReport

RECORD_TYPES = (
    records.RecordType(
        "hearing",
        Hearing,
        "Court hearing",
        forms.HearingForm,
        form_needs_child=True,
        links_offences=True,
    ),
    records.RecordType(
        "pre-sentence-report",
        PreSentenceReport,
        "Pre-sentence report",
        forms.ReportForm,
        form_needs_child=True,
    ),
)


def register() -> None:
    for rt in RECORD_TYPES:
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(rt.model, rt)
    casework_services.register_record_kind(
        Hearing,
        services.hearing_problems,
        update=services.update_hearing,
        dependants=services.hearing_dependants,
    )
    casework_services.register_record_kind(PreSentenceReport, services.report_problems)
    extensions.register_section(
        extensions.ChildSection(
            "court/_child_section.html",
            selectors.child_section,
            kinds=("hearings", "pre_sentence_reports"),
        )
    )
    extensions.register_link(extensions.RecordLink("court", "Court hearing", "court:add_hearing"))
    extensions.register_link(
        extensions.RecordLink("court", "Pre-sentence report", "court:add_report")
    )
    extensions.register_timeline_source(selectors.timeline_entries)
    # Hearings and reports are key events of the journey, not only in "Everything".
    casework_selectors.TIMELINE_VIEWS["key"][1].update({"hearing", "report"})
    casework_selectors.register_alert_source(selectors.hearing_alerts)
    casework_selectors.register_alert_source(selectors.report_alerts)
