"""Time the service-scale pages on a loaded demo: dashboard, drill-down, plan page, board pack.

    YJS_VAR_DIR=/tmp/bench/run .venv/bin/python benchmarks/service_pages.py \
        --label after --out /tmp/bench/after.json
    .venv/bin/python benchmarks/service_pages.py --table before.json after.json

``YJS_VAR_DIR`` must hold a database with the demo loaded (`yj migrate` then `yj demo`) and no
snapshots yet. The pages are fetched with Django's test client, signed in as the head of
service, in this order: the first dashboard ever (empty cache); the worker's first refresh
(where there is one); the same page warm; another quarter; a drill-down; the draft plan page
(twice); the board pack and the plan export (Word); then a casework change (one offence added)
followed by the dashboard and the draft plan page. Where the code has a background refresh
(django-tasks), the queued work is then run as the worker would run it and timed on its own,
and the dashboard fetched once more. The same script times main's code (``PYTHONPATH``
pointing at that checkout) for the "before" column.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROWS = (
    ("dashboard_first_ever", "Dashboard, first load ever (no figures yet)"),
    ("background_first", "First background refresh (worker: every shown quarter)"),
    ("dashboard_warm", "Dashboard warm (median of 3)"),
    ("quarter_switch", "Switch quarter (2024-25 Q2)"),
    ("drill", "Drill-down (FTE)"),
    ("plan_page", "Draft plan page, first open"),
    ("plan_page_again", "Draft plan page, again"),
    ("board_pack", "Board pack (Word)"),
    ("plan_export", "Plan export (Word)"),
    ("dashboard_after_change", "Dashboard, first load after a casework change"),
    ("plan_page_after_change", "Draft plan page after a casework change"),
    ("background_refresh", "Background refresh (worker, not seen by anyone)"),
    ("dashboard_after_refresh", "Dashboard once the refresh is done"),
)


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def _client():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yjs.organisation.models import User

    user = User.objects.get(username="hana")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client, url) -> tuple[float, str]:
    t0 = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - t0
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    body = b"".join(response) if response.streaming else response.content
    return took, body.decode(errors="replace")


def _run_background() -> float | None:
    """Run what the refresh queued, as `yj db_worker` would; None where there is no queue."""
    from django.conf import settings

    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return None
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("db_worker", batch=True, verbosity=0)
    return time.perf_counter() - t0


def measure(label: str) -> dict:
    _setup()
    from yjs.casework.models import Child, Offence
    from yjs.governance.models import PlanVersion
    from yjs.performance.dashboard import default_period
    from yjs.periods import parse_quarter

    client = _client()
    period = default_period(dt.date.today())
    other = parse_quarter("2024-25Q2")
    version = PlanVersion.objects.filter(status=PlanVersion.Status.DRAFT).first()
    plan_url = f"/governance/plans/{version.plan_id}/v{version.number}/"
    out: dict = {"label": label, "period": period.label, "when": dt.datetime.now().isoformat()}

    out["dashboard_first_ever"], _ = _get(client, "/performance/")
    out["background_first"] = _run_background()
    out["dashboard_warm"] = statistics.median(_get(client, "/performance/")[0] for _ in range(3))
    out["quarter_switch"], _ = _get(client, f"/performance/?period={other.yjb_label}")
    out["drill"], _ = _get(client, f"/performance/drill/fte/?period={period.yjb_label}")
    out["plan_page"], _ = _get(client, plan_url)
    out["plan_page_again"], _ = _get(client, plan_url)
    out["board_pack"], _ = _get(
        client, f"/governance/board-pack/?quarter={period.yjb_label}&format=docx"
    )
    out["plan_export"], _ = _get(client, f"{plan_url}export.docx")

    child = Child.objects.filter(offences__isnull=False).first()
    Offence.objects.create(
        child=child,
        offence_date=period.start + dt.timedelta(days=10),
        description="Benchmark change",
        category="THEFT_AND_HANDLING",
        gravity_score=2,
    )
    out["dashboard_after_change"], page = _get(client, "/performance/")
    out["refreshing_note_shown"] = "refreshing" in page.lower()
    out["plan_page_after_change"], _ = _get(client, plan_url)
    out["background_refresh"] = _run_background()
    if out["background_refresh"] is not None:
        out["dashboard_after_refresh"], _ = _get(client, "/performance/")
    return out


def table(paths: list[str]) -> str:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    head = "| page | " + " | ".join(f"{r['label']} s" for r in runs) + " |"
    lines = [head, "|---|" + "---|" * len(runs)]
    for key, text in ROWS:
        cells = []
        for r in runs:
            v = r.get(key)
            cells.append("–" if v is None else f"{v:.2f}")
        lines.append(f"| {text} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run")
    parser.add_argument("--out")
    parser.add_argument("--table", nargs="+", help="print a Markdown table of saved runs")
    args = parser.parse_args(argv)
    if args.table:
        print(table(args.table))
        return
    result = measure(args.label)
    text = json.dumps(result, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
