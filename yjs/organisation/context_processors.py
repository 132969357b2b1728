from django.conf import settings
from django.urls import NoReverseMatch, reverse

from yjs.permissions import requires_second_factor

# (label, url name, permission): apps add their pages here as they arrive.
NAVIGATION = (
    ("My work", "diary:my_work", "diary.view_diary"),
    ("My diary", "diary:my_diary", "diary.view_diary"),
    ("Caseload", "casework:caseload", "casework.view_caseload"),
    ("Find a child", "casework:search", "casework.view_caseload"),
    ("Alerts", "casework:alerts", "casework.view_alerts"),
    ("Referral queue", "casework:queue", "casework.view_queue"),
    ("Court work", "court:court", "court.view_court"),
    ("Out-of-court panels", "diversion:panels", "casework.view_caseload"),
    ("Performance", "performance:dashboard", "performance.view_dashboard"),
    ("Plans and board", "governance:index", "governance.view_plans"),
)

# The service's own work beyond the cases (issue 14) and its administration: one "Service"
# item opens a page of them, so the menu stays one line on a desktop for every role.
SERVICE_AREAS = (
    (
        "Programmes and groups",
        "programmes:index",
        "programmes.view_programmes",
        "Group programmes, cohorts, attendance, self-scores and what followed.",
    ),
    (
        "Voice of the child",
        "voice:report",
        "voice.view_feedback_report",
        "Feedback from children, parents and carers; quotes to share; participation pledges.",
    ),
    (
        "Quality assurance",
        "quality:index",
        "quality.view_summary",
        "Case and themed audits, National Standards, inspection recommendations, incidents.",
    ),
    (
        "Workforce",
        "workforce:index",
        "workforce.view_figures",
        "Training, supervision, vacancies and caseload per worker.",
    ),
    (
        "My training and supervision",
        "workforce:mine",
        "workforce.view_own",
        "Your courses, when they expire, and your supervision.",
    ),
    (
        "Volunteers and panel rota",
        "workforce:volunteers",
        "workforce.manage",
        "Volunteers, their vetting and training, and referral order panels.",
    ),
    (
        "Resources",
        "workforce:resources",
        "workforce.view_figures",
        "Remand costs, reparation hours and the Turnaround programme's figures.",
    ),
    (
        "Letter templates",
        "documents:letter_templates",
        "documents.change_letter_templates",
        "The letters the service sends, in its own words.",
    ),
    (
        "Retention review",
        "casework:retention",
        "casework.review_retention",
        "Records past their retention date, to review or erase.",
    ),
    ("Audit trail", "audit:events", "audit.view_audit", "Who saw and changed what, and when."),
)


def service_areas(user) -> list[dict]:
    """The areas of SERVICE_AREAS this user may open, with their addresses."""
    areas = []
    for label, url_name, perm, summary in SERVICE_AREAS:
        if not user.has_perm(perm):
            continue
        try:
            areas.append({"text": label, "href": reverse(url_name), "summary": summary})
        except NoReverseMatch:
            continue
    return areas


def service(request):
    user = getattr(request, "user", None)
    name = settings.SERVICE_NAME
    items = []
    # Until the TOTP code is entered no other page opens, so none is offered.
    pending = requires_second_factor(user) and not user.is_verified()
    if user is not None and user.is_authenticated:
        if user.service_id:
            name = user.service.name
        for label, url_name, perm in () if pending else NAVIGATION:
            if not user.has_perm(perm):
                continue
            try:
                href = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append(
                {
                    "text": label,
                    "href": href,
                    "active": request.path.startswith(href) and href != "/",
                }
            )
        areas = [] if pending else service_areas(user)
        if areas:
            href = reverse("organisation:service_areas")
            inside = any(request.path.startswith(a["href"]) for a in areas)
            items.append(
                {
                    "text": "Service",
                    "href": href,
                    "active": inside or request.path.startswith(href),
                }
            )
    return {"service_name": name, "nav_items": items, "second_factor_pending": pending}
