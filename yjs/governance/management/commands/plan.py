"""`yj plan list|check|export|approve|template`: the Youth Justice Plan from the command line."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yjs.governance import checks, services
from yjs.governance.documents import RenderError
from yjs.governance.models import Plan, PlanVersion
from yjs.governance.template_builder import plan_template

from ._common import service_for, source_for, write


class Command(BaseCommand):
    help = "List, check, export and approve Youth Justice Plans."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="Every plan: id, service, period, status")
        ls.add_argument("--format", choices=["text", "json"], default="text")
        for name, text in (
            ("check", "Show the consistency checks of a plan"),
            ("export", "Write the plan as Word or PDF"),
            ("approve", "Approve the latest draft (checks must pass)"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--plan", type=int, required=True, help="Plan id (see `yj plan list`)")
            p.add_argument(
                "--version-number",
                dest="version",
                type=int,
                help="Version number (default: the latest)",
            )
            p.add_argument("--snapshot", help="Snapshot folder for KPI results (default: latest)")
            if name == "export":
                p.add_argument("--format", choices=["docx", "pdf", "html"], default="docx")
                p.add_argument("--out", required=True, help="File to write")
        d = sub.add_parser("demo", help="Synthetic plans, budget, staff and actions for the demo")
        d.add_argument("--service", help="Service code (default: the only service)")
        t = sub.add_parser(
            "template", help="Write the default Word template, or set a service's own"
        )
        t.add_argument("--out", help="Write the default template here")
        t.add_argument("--upload", help="A .docx template to use for the service's plans")
        t.add_argument("--service", help="Service code (for --upload)")

    def handle(self, *args, action, **options):
        try:
            return getattr(self, f"do_{action}")(**options)
        except (ValidationError, services.ExportRefused, RenderError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from None

    def _version(self, plan_id: int, number: int | None) -> PlanVersion:
        try:
            plan = Plan.objects.get(pk=plan_id)
        except Plan.DoesNotExist:
            raise CommandError(f"No plan with id {plan_id} (see `yj plan list`)") from None
        versions = plan.versions.order_by("-number")
        version = versions.filter(number=number).first() if number else versions.first()
        if version is None:
            raise CommandError(f"Plan {plan_id} has no version {number}")
        return version

    def do_list(self, format, **_):
        rows = []
        for plan in Plan.objects.select_related("service").order_by("service__name", "-start_year"):
            latest = plan.versions.order_by("-number").first()
            rows.append(
                {
                    "id": plan.pk,
                    "service": plan.service.name,
                    "title": plan.title,
                    "period": plan.period_label,
                    "version": latest.number if latest else None,
                    "year": latest.financial_year.label if latest else None,
                    "status": latest.status.lower() if latest else "none",
                }
            )
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No plans yet.")
        for r in rows:
            self.stdout.write(
                f"{r['id']:>4}  {r['service']}  {r['title']} {r['period']}  "
                f"version {r['version']} ({r['year']})  {r['status']}"
            )

    def do_check(self, plan, version, snapshot, **_):
        v = self._version(plan, version)
        _context, problems = services.review(v, source_for(snapshot, v.plan.service))
        for p in problems:
            self.stdout.write(f"{p.level.upper():8} {p}")
        if checks.errors(problems):
            raise CommandError(f"{len(checks.errors(problems))} problem(s) to fix before approval")
        self.stdout.write(self.style.SUCCESS("All consistency checks pass."))

    def do_export(self, plan, version, snapshot, format, out, **_):
        v = self._version(plan, version)
        data, problems = services.export(v, format, source=source_for(snapshot, v.plan.service))
        write(out, data)
        for p in problems:
            self.stderr.write(f"{p.level.upper():8} {p}")
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes)")

    def do_approve(self, plan, version, snapshot, **_):
        v = self._version(plan, version)
        v = services.approve(v, source=source_for(snapshot, v.plan.service))
        self.stdout.write(self.style.SUCCESS(f"Approved {v}."))

    def do_demo(self, service, **_):
        from yjs.governance.demo import create_demo_plans

        svc = service_for(service)
        if Plan.objects.filter(service=svc).exists():
            raise CommandError(f"{svc} already has plans")
        plan = create_demo_plans(svc)
        self.stdout.write(f"Created {plan} (id {plan.pk}) and its previous plan for {svc}.")

    def do_template(self, out, upload, service, **_):
        if upload:
            try:
                with open(upload, "rb") as fh:
                    content = fh.read()
            except OSError as exc:
                raise CommandError(f"Cannot read {upload}: {exc.strerror}") from None
            services.set_template(service_for(service), upload, content)
            self.stdout.write(f"Plans of the service now use {upload}.")
        elif out:
            write(out, plan_template())
            self.stdout.write(f"Wrote the default plan template to {out}.")
        else:
            raise CommandError("Give --out FILE to write the default, or --upload FILE")
