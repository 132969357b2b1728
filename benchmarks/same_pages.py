"""Every casework page, byte for byte, before and after a change (not run in CI).

`dump DIR` signs in as alice, mo and hana (the managers with a verified second factor) and
saves the team, own and default caseloads, the dashboard, alerts, a search, my work, and every
ninth child's record in the key, all and contacts views: each page's status and HTML (the CSRF
token masked) and the audit rows it wrote; it then checks the chain segment the run wrote.
`compare A B` says which pages or audit rows differ. Run each dump on its own copy of the
same demo database (`createdb -T`), with PYTHONPATH pointing at the checkout to dump:

    PYTHONPATH=/old/checkout .venv/bin/python benchmarks/same_pages.py dump /tmp/before
    PYTHONPATH=$PWD .venv/bin/python benchmarks/same_pages.py dump /tmp/after
    .venv/bin/python benchmarks/same_pages.py compare /tmp/before /tmp/after
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
USERS = ("alice", "mo", "hana")
PAGES = (
    "/caseload/?view=team",
    "/caseload/?view=mine",
    "/caseload/",
    "/performance/",
    "/alerts/",
    "/children/search/?q=smith",
    "/my-work/",
)
VIEWS = ("", "?show=all", "?show=contacts")


def dump(out: Path) -> None:
    import django

    django.setup()
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yjs.audit.models import AuditEvent
    from yjs.audit.services import content_hash, event_hash
    from yjs.casework.models import Child
    from yjs.organisation.models import User

    out.mkdir(parents=True, exist_ok=True)
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True))[::9]
    summary = {}
    for username in USERS:
        user = User.objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user).first()
        if device:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        paths = [*PAGES, *(f"/children/{pk}/{view}" for pk in children for view in VIEWS)]
        for path in paths:
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.get(path)
            body = CSRF.sub(r"\1MASKED\2", response.content.decode())
            events = AuditEvent.objects.filter(id__gt=last).order_by("id")
            rows = events.values_list(
                "actor_id", "actor_username", "action", "child_id", "object_type", "object_id",
                "description", "changes",
            )  # fmt: skip
            key = f"{username} {path}"
            sha = hashlib.sha256(body.encode()).hexdigest()
            summary[key] = [response.status_code, sha, [list(r) for r in rows]]
            (out / (re.sub(r"[^a-z0-9]+", "_", key) + ".html")).write_text(body)
    (out / "summary.json").write_text(json.dumps(summary, indent=0, default=str))
    prev, count = None, 0
    for event in AuditEvent.objects.filter(id__gt=start).order_by("id").iterator():
        if content_hash(event) != event.content_hash or event_hash(event.prev_hash, event) != (
            event.hash
        ):
            raise SystemExit(f"audit event {event.id}: its hash does not match")
        if prev is not None and event.prev_hash != prev:
            raise SystemExit(f"audit event {event.id}: not chained to the one before")
        prev, count = event.hash, count + 1
    codes = [v[0] for v in summary.values()]
    print(f"{len(summary)} pages; {dict((c, codes.count(c)) for c in sorted(set(codes)))}")
    print(f"the {count} audit events written are chained and intact")


def compare(a: Path, b: Path) -> int:
    before = json.loads((a / "summary.json").read_text())
    after = json.loads((b / "summary.json").read_text())
    if before.keys() != after.keys():
        print("different pages:", sorted(set(before) ^ set(after)))
        return 1
    pages = [k for k in before if before[k][:2] != after[k][:2]]
    audit = [k for k in before if before[k][2] != after[k][2]]
    print(f"{len(before)} pages compared; {len(pages)} differ in status or HTML; "
          f"{len(audit)} differ in the audit rows written")  # fmt: skip
    for key in (pages + audit)[:20]:
        print("  ", key)
    return 1 if pages or audit else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"] and len(sys.argv) == 3:
        dump(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        raise SystemExit(__doc__)
