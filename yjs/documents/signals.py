"""A document's file goes when its record is deleted: erasure (`casework.erasure`) deletes
every record of the child with a queryset delete, which sends `post_delete` for each row.
Users never delete a document (they void it, and the file is kept for the audit)."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import services
from .models import Attachment


@receiver(post_delete, sender=Attachment)
def delete_stored_file(sender, instance: Attachment, **kwargs):
    services.delete_file(instance.file.name)
