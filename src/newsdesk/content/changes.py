"""The content app's one outward signal, and the way to send it."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: An update() of more rows than this announces pks=None ("many") rather than
#: reading their keys first.
BULK_PKS_LIMIT = 500

content_changed = Signal()
content_changed.__doc__ = """Content's one announcement: readers may see a change.

Sent once the transaction commits (never before, never on a rollback), for every
save, delete and tag or author change of one object, and once per bulk write of
many (``update()``, ``bulk_create()``, ``bulk_update()`` on the models' querysets;
a queryset's ``delete()`` announces each row it deletes). Caches, search and
anything else that follows content listen to this, from their own
``AppConfig.ready()``, instead of being called by content.

Arguments:

- ``sender``: the model class (Article, Section, Tag, Author or Image).
- ``instance``: the object saved or deleted; None for a bulk write.
- ``pk``: that object's primary key, kept even after a delete; None for a bulk
  write.
- ``pks``: a tuple of the primary keys that changed: ``(pk,)`` for one object,
  the rows' keys for a bulk write, or None when they are not known (an
  ``update()`` of more than ``BULK_PKS_LIMIT`` rows, or a sender that did not
  say): then any row of ``sender`` may have changed.
"""


def announce(sender, *, instance=None, pk=None, pks: tuple | None = None) -> None:
    """Send content_changed once the current transaction commits."""

    # After the commit: a listener that starts a new cache generation must not
    # let a reader cache old rows under it.
    def send() -> None:
        content_changed.send(sender=sender, instance=instance, pk=pk, pks=pks)

    transaction.on_commit(send, robust=True)
