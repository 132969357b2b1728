"""Feedback pages. Thin: permission (the one scope rule: own service, children in reach), then
`services` or `selectors`; pages that show a child's feedback audit the read.

The child's own page (`answer`) is the one page open without signing in: its secret token is
the key, it shows only the service's name and the questions, and a used, expired or unknown
link gets the same kind "this link has expired" page (410 or 404), never a hint of whose it was.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yjs.casework import services as casework
from yjs.casework.views import _apply, _child, _posted, _require, case_closed
from yjs.forms import reopen_after_conflict
from yjs.versioning import EditConflict

from . import forms, selectors, services
from .models import Answer, FeedbackResponse, Pledge, PledgeReview, Question, Questionnaire

MANAGE = "voice.manage_feedback"
REPORT = "voice.view_feedback_report"


def _service_questionnaire(request, pk) -> Questionnaire:
    return get_object_or_404(Questionnaire, pk=pk, service_id=request.user.service_id)


def _period(request, today):
    return selectors.HalfYear.parse(request.GET.get("period", "")) or selectors.HalfYear.of(today)


# --------------------------------------------------------------------------- managers


def index(request):
    _require(request, MANAGE)
    service = request.user.service
    today = casework.today()
    return render(
        request,
        "voice/index.html",
        {
            "questionnaires": Questionnaire.objects.filter(service=service).prefetch_related(
                "questions"
            ),
            "pledges": Pledge.objects.filter(service=service, active=True).prefetch_related(
                "reviews"
            ),
            "period": selectors.HalfYear.of(today),
        },
    )


def new_questionnaire(request):
    _require(request, MANAGE)
    form = forms.QuestionnaireForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        q = form.save(commit=False)
        q.service = request.user.service
        if _apply(form, lambda: services.save_questionnaire(request.user, q)):
            messages.success(request, "Questionnaire created: now add its questions")
            return redirect("voice:questionnaire", q.pk)
    return render(
        request,
        "voice/form.html",
        {"form": form, "title": "New questionnaire", "cancel": reverse("voice:index")},
    )


def questionnaire(request, pk):
    _require(request, MANAGE)
    q = _service_questionnaire(request, pk)
    form = forms.QuestionnaireForm(_posted(request), instance=q)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _apply(form, lambda: services.save_questionnaire(request.user, form.instance))
        except EditConflict as conflict:
            saved = None
            form = reopen_after_conflict(
                form, conflict, forms.QuestionnaireForm(instance=conflict.current)
            )
        if saved:
            messages.success(request, "Questionnaire saved")
            return redirect("voice:questionnaire", q.pk)
    return render(
        request,
        "voice/questionnaire.html",
        {
            "q": q,
            "form": form,
            "question_form": forms.QuestionForm(),
            "questions": q.live_questions(),
            "responses": q.responses.count(),
        },
    )


def add_question(request, pk):
    _require(request, MANAGE)
    q = _service_questionnaire(request, pk)
    form = forms.QuestionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = _apply(
            form,
            lambda: services.add_question(
                request.user, q, form.cleaned_data["text"], form.cleaned_data["kind"]
            ),
        )
        if done:
            messages.success(request, "Question added")
            return redirect("voice:questionnaire", q.pk)
    return render(
        request,
        "voice/form.html",
        {
            "form": form,
            "title": f"Add a question to {q.title}",
            "cancel": reverse("voice:questionnaire", args=[q.pk]),
        },
    )


@require_POST
def remove_question(request, pk):
    _require(request, MANAGE)
    question = get_object_or_404(Question, pk=pk, questionnaire__service_id=request.user.service_id)
    services.remove_question(request.user, question)
    messages.success(request, "Question removed: answers already given to it are kept")
    return redirect("voice:questionnaire", question.questionnaire_id)


def report(request):
    """The twice-yearly feedback report: figures only, for managers, analysts and the board."""
    _require(request, REPORT)
    today = casework.today()
    period = _period(request, today)
    service = request.user.service
    figures = selectors.report(service, period.start, period.end)
    return render(
        request,
        "voice/report.html",
        {
            "period": period,
            "periods": selectors.half_years(today),
            "figures": figures,
            "total": sum(f.total for f in figures),
            # chosen quotes carry no name; they are shown to whoever may see the report
            "quotes": selectors.quotes(service, period.start, period.end),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def quotes(request):
    """Managers choose quotes for the plan and board pack from the period's free text."""
    _require(request, MANAGE)
    today = casework.today()
    period = _period(request, today)
    answers = list(selectors.candidate_answers(request.user.service, period.start, period.end))
    casework.record_list_view(request.user, {a.response.child for a in answers}, "Feedback quotes")
    rows = [(a, selectors.who_said(a.response)) for a in answers]
    return render(
        request,
        "voice/quotes.html",
        {"period": period, "periods": selectors.half_years(today), "rows": rows},
    )


@require_POST
def choose_quote(request, pk):
    _require(request, MANAGE)
    answer = get_object_or_404(
        Answer.objects.select_related("response__child", "question"),
        pk=pk,
        response__child__service_id=request.user.service_id,
    )
    chosen = request.POST.get("chosen") == "1"
    try:
        services.choose_quote(request.user, answer, chosen)
        messages.success(request, "Quote chosen for publication" if chosen else "Quote dropped")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    period = request.POST.get("period", "")
    url = reverse("voice:quotes")
    return redirect(f"{url}?period={period}" if selectors.HalfYear.parse(period) else url)


# --------------------------------------------------------------------------- pledges


def pledges(request):
    _require(request, MANAGE)
    return render(
        request,
        "voice/pledges.html",
        {
            "pledges": Pledge.objects.filter(service=request.user.service).prefetch_related(
                "reviews"
            )
        },
    )


def _pledge_page(request, pledge, title):
    form = forms.PledgeForm(_posted(request), instance=pledge)
    if request.method == "POST" and form.is_valid():
        p = form.save(commit=False)
        p.service = request.user.service
        try:
            saved = _apply(form, lambda: services.save_pledge(request.user, p))
        except EditConflict as conflict:
            saved = None
            form = reopen_after_conflict(
                form, conflict, forms.PledgeForm(instance=conflict.current)
            )
        if saved:
            messages.success(request, "Pledge saved")
            return redirect("voice:pledge", p.pk)
    context = {"form": form, "title": title, "cancel": reverse("voice:pledges")}
    if pledge and pledge.pk:
        context.update(pledge=pledge, reviews=pledge.reviews.all())
        return render(request, "voice/pledge.html", context)
    return render(request, "voice/form.html", context)


def new_pledge(request):
    _require(request, MANAGE)
    return _pledge_page(request, None, "New participation pledge")


def pledge(request, pk):
    _require(request, MANAGE)
    p = get_object_or_404(Pledge, pk=pk, service_id=request.user.service_id)
    return _pledge_page(request, p, "Participation pledge")


def review_pledge(request, pk):
    _require(request, MANAGE)
    p = get_object_or_404(Pledge, pk=pk, service_id=request.user.service_id)
    form = forms.PledgeReviewForm(_posted(request), instance=PledgeReview(pledge=p))
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.review_pledge(request.user, form.instance)):
            messages.success(request, "Review recorded")
            return redirect("voice:pledge", p.pk)
    return render(
        request,
        "voice/form.html",
        {
            "form": form,
            "title": "Review a participation pledge",
            "caption": str(p),
            "cancel": reverse("voice:pledge", args=[p.pk]),
        },
    )


# --------------------------------------------------------------------------- the child's feedback


def _questionnaires(child):
    return Questionnaire.objects.filter(service_id=child.service_id, active=True)


def record_feedback(request, pk):
    """Feedback given on paper, typed in by a worker for a child in reach."""
    child = _child(request, pk)
    title = "Record feedback from paper"
    if child.closed_on:
        return case_closed(request, child, title)
    chosen = request.GET.get("questionnaire", "")
    q = _questionnaires(child).filter(pk=chosen).first() if chosen.isdigit() else None
    if q is None:
        return render(
            request,
            "voice/choose_questionnaire.html",
            {"child": child, "title": title, "questionnaires": _questionnaires(child)},
        )
    form = forms.PaperResponseForm(_posted(request), questionnaire=q)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _apply(
            form,
            lambda: services.record_response(
                request.user,
                child,
                q,
                respondent=d["respondent"],
                answered_on=d["answered_on"],
                answers=form.answers(),
                consent=d.get("consent_to_share"),
                consent_by=d.get("consent_by") or "",
                consent_on=d.get("consent_on"),
            ),
        )
        if done:
            messages.success(request, "Feedback recorded")
            return redirect(child)
    return render(
        request,
        "voice/paper_form.html",
        {"child": child, "title": title, "q": q, "form": form, "cancel": child.get_absolute_url()},
    )


def make_link(request, pk):
    """A one-time link and its QR code: shown once, for the child to open on their phone."""
    child = _child(request, pk)
    title = "Feedback on the child's own phone"
    if child.closed_on:
        return case_closed(request, child, title)
    form = forms.LinkForm(_posted(request), service=child.service)
    if request.method == "POST" and form.is_valid():
        made = _apply(
            form,
            lambda: services.make_link(
                request.user,
                child,
                form.cleaned_data["questionnaire"],
                form.cleaned_data["respondent"],
            ),
        )
        if made:
            link, token = made
            url = request.build_absolute_uri(reverse("voice:answer", args=[token]))
            qr = segno.make(url, error="m").svg_inline(
                scale=5, title="QR code of the feedback link", border=4
            )
            return render(
                request,
                "voice/link_made.html",
                {"child": child, "link": link, "url": url, "qr": mark_safe(qr)},  # noqa: S308
            )
    return render(
        request,
        "voice/form.html",
        {
            "form": form,
            "title": title,
            "child": child,
            "intro": (
                "Make a link the child (or their parent or carer) opens on their own phone, "
                "by scanning a QR code or typing the address. It works once and expires in "
                f"{services.LINK_DAYS} days. It shows only the service's name and the "
                "questions: never the child's name."
            ),
            "button": "Make the link",
            "cancel": child.get_absolute_url(),
        },
    )


def response(request, pk):
    """A response's answers and its consent to share (changed under optimistic locking)."""
    r = get_object_or_404(
        FeedbackResponse.objects.select_related("child", "questionnaire", "entered_by"), pk=pk
    )
    if not request.user.has_perm("casework.view_child", r.child):
        raise PermissionDenied
    casework.record_view(request.user, r.child, "feedback response")
    can_change = request.user.has_perm("casework.change_child", r.child)
    initial = {
        "consent_to_share": r.consent_to_share,
        "consent_by": r.consent_by or r.respondent,
        "consent_on": r.consent_on,
    }
    form = forms.ConsentForm(
        _posted(request) if can_change else None, revision=r.revision, initial=initial
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            r.revision = form.revision or r.revision
            try:
                saved = _apply(
                    form,
                    lambda: services.record_consent(
                        request.user,
                        r,
                        consent=d["consent_to_share"],
                        by=d["consent_by"],
                        on=d["consent_on"],
                    ),
                )
            except EditConflict as conflict:
                saved = None
                current = conflict.current
                form = reopen_after_conflict(
                    form,
                    conflict,
                    forms.ConsentForm(
                        revision=current.revision,
                        initial={
                            "consent_to_share": current.consent_to_share,
                            "consent_by": current.consent_by,
                            "consent_on": current.consent_on,
                        },
                    ),
                )
            if saved:
                messages.success(request, "Consent recorded")
                return redirect("voice:response", r.pk)
    return render(
        request,
        "voice/response.html",
        {
            "r": r,
            "child": r.child,
            "answers": r.answers.select_related("question"),
            "form": form,
            "can_change": can_change and not r.voided,
            "who": selectors.who_said(r),
        },
    )


# --------------------------------------------------------------------------- the child's page


def _closed(request, state):
    status = 404 if state == "unknown" else 410
    return render(request, "voice/link_expired.html", {"state": state}, status=status)


def answer(request, token):
    """The child's own page, opened from a one-time link: no account, nothing of the child."""
    link, state = services.open_link(token)
    if state != "open":
        return _closed(request, state)
    q = link.questionnaire
    form = forms.ChildAnswersForm(_posted(request), questionnaire=q)
    if request.method == "POST" and form.is_valid():
        try:
            done = _apply(
                form,
                lambda: services.answer_by_link(
                    token, form.answers(), consent=form.cleaned_data.get("consent_to_share")
                ),
            )
        except services.LinkClosed as closed:
            return _closed(request, str(closed))
        if done:
            return render(request, "voice/thank_you.html", {"public_service": q.service.name})
    response = render(
        request,
        "voice/answer.html",
        {"q": q, "form": form, "public_service": q.service.name},
    )
    response["Cache-Control"] = "no-store, private"
    # the token never leaves in a Referer header to another site ("no-referrer" would make
    # the browser send "Origin: null", which the CSRF check rightly refuses)
    response["Referrer-Policy"] = "same-origin"
    return response
