"""The content app's one outward signal, and the way to send it."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

#: An update() of more rows than this announces pks=None ("many") rather than
#: reading their keys first.
BULK_PKS_LIMIT = 500

content_changed = Signal()
content_changed.__doc__ = """Content's one announcement: readers may see a change.

Sent once the transaction commits (never before, never on a rollback), and once
per model and transaction: every save, delete and tag or author change, and every
bulk write (``update()``, ``bulk_create()``, ``bulk_update()`` on the models'
querysets) made in one transaction is heard as one change with all their keys.
Outside a transaction, each change is sent as it is made. Caches, search and
anything else that follows content listen to this, from their own
``AppConfig.ready()``, instead of being called by content.

Arguments:

- ``sender``: the model class (Article, Section, Tag, Author or Image).
- ``instance``: the object saved or deleted, when it is the one change; None
  for a bulk write or several changes.
- ``pk``: that object's primary key, kept even after a delete; None when
  ``instance`` is.
- ``pks``: a tuple of the primary keys that changed: ``(pk,)`` for one object,
  the keys of every row changed, or None when they are not known (an
  ``update()`` of more than ``BULK_PKS_LIMIT`` rows, or a sender that did not
  say): then any row of ``sender`` may have changed.
"""


def announce(sender, *, instance=None, pk=None, pks: tuple | None = None) -> None:
    """Send content_changed once the current transaction commits.

    Within one transaction, the changes of one model are announced once, at the
    commit, with all their keys: a newsroom save (the article, then its tags,
    then its authors) or an import of thousands is heard once per model, not
    once per row. Outside a transaction, the change is sent at once.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, "newsdesk_changes", None)
    if batch is None or batch.sent:
        batch = connection.newsdesk_changes = _Batch()
    batch.add(sender, instance, pk, pks)
    # A hook for every change, all sending the one batch (the first to run
    # sends it, the others find it sent): a savepoint rolled back takes its own
    # hooks with it and leaves the others, so what commits is always announced.
    # A change rolled back may still be in the batch: announcing too much costs
    # a cache miss; too little would serve a stale page.
    transaction.on_commit(batch.send, robust=True)


class _Batch:
    """The changes of one transaction, by model: the one object, or every key."""

    def __init__(self) -> None:
        self.sent = False
        self.senders: dict = {}

    def add(self, sender, instance, pk, pks: tuple | None) -> None:
        known = self.senders.get(sender)
        if known is None:
            keys = None if pks is None else dict.fromkeys(pks)
            self.senders[sender] = [(instance, pk), keys]
            return
        if known[0] != (instance, pk) or pk is None:
            known[0] = (None, None)  # Several objects changed: no one instance.
        if known[1] is not None:
            if pks is None:
                known[1] = None
            else:
                known[1].update(dict.fromkeys(pks))

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        for sender, ((instance, pk), keys) in self.senders.items():
            _send(sender, instance, pk, None if keys is None else tuple(keys))


def _send(sender, instance, pk, pks: tuple | None) -> None:
    # Robust: one failing listener (Redis away) must not keep the others
    # (search) from hearing of the change.
    for receiver, error in content_changed.send_robust(
        sender=sender, instance=instance, pk=pk, pks=pks
    ):
        if isinstance(error, Exception):
            logger.error(
                "A listener of content_changed failed: %r", receiver, exc_info=error
            )
