"""Remove an image's files from storage once its row is gone."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from newsdesk.media.models import Image


@receiver(post_delete, sender=Image)
def delete_files(sender, instance: Image, **kwargs) -> None:
    from newsdesk.media.images import delete_files

    names = instance.files()
    # Only once the deletion is committed: a rollback keeps row and files.
    transaction.on_commit(lambda: delete_files(names), robust=True)
