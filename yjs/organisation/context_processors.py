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
    ("Programmes", "programmes:index", "programmes.view_programmes"),
    ("Performance", "performance:dashboard", "performance.view_dashboard"),
    ("Plans and board", "governance:index", "governance.view_plans"),
    ("Quality assurance", "quality:index", "quality.view_summary"),
    ("Feedback", "voice:report", "voice.view_feedback_report"),
    ("Workforce", "workforce:index", "workforce.view_figures"),
    ("My training", "workforce:mine", "workforce.view_own"),
    ("Volunteers", "workforce:volunteers", "workforce.manage"),
    ("Resources", "workforce:resources", "workforce.view_figures"),
    ("Letter templates", "documents:letter_templates", "documents.change_letter_templates"),
    ("Retention review", "casework:retention", "casework.review_retention"),
    ("Audit trail", "audit:events", "audit.view_audit"),
)


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
    return {"service_name": name, "nav_items": items, "second_factor_pending": pending}
