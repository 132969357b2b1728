"""Refuse forks (prev_hash unique) and make the trail append-only with database triggers."""

from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from yjs.audit import triggers

    triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from yjs.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_events")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor", "-at"], name="audit_audit_actor_i_75e47c_idx"),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
