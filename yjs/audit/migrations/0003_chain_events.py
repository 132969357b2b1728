"""Chain the audit trail (prev_hash, hash) and keep child and actor links for good.

Existing events are chained in id order; 0004 then makes the chain unique and append-only
(a separate migration: PostgreSQL refuses ALTER TABLE after updates in one transaction)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from yjs.audit.models import GENESIS
    from yjs.audit.services import _json, content_hash, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev = GENESIS
    for event in AuditEvent.objects.select_related("actor").order_by("id").iterator():
        event.actor_username = event.actor.username if event.actor_id else ""
        event.action = event.action.upper()
        event.changes = _json(event.changes or {})
        event.content_hash = content_hash(event)
        event.prev_hash = prev
        event.hash = prev = event_hash(prev, event)
        event.save(
            update_fields=["actor_username", "action", "changes", "content_hash", "prev_hash", "hash"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
        ("casework", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("VIEW", "Viewed"),
                    ("CREATE", "Created"),
                    ("UPDATE", "Changed"),
                    ("DELETE", "Deleted"),
                    ("APPROVE", "Approved"),
                    ("EXPORT", "Exported"),
                    ("SIGN_IN", "Signed in"),
                    ("SIGN_IN_FAILED", "Sign-in failed"),
                    ("SIGN_OUT", "Signed out"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="child",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to="casework.child",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_username",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="content_hash",
            field=models.CharField(
                default="", help_text="sha256 of description and changes", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redacted",
            field=models.BooleanField(default=False, help_text="Personal data erased"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
