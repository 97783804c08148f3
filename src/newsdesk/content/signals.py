"""Announce every change of content, and do the bookkeeping done on save."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

# The signal lives in changes.py so the models' bulk writes can send it too.
from newsdesk.content.changes import announce, content_changed
from newsdesk.content.models import Article, Author, Redirect, Section, Tag
from newsdesk.media.models import Image

__all__ = ["announce", "content_changed"]


@receiver(pre_save, sender=Article)
def remember_old_address(
    sender, instance: Article, raw: bool = False, **kwargs
) -> None:
    """Keep a public article's old address (slug, section or date) as a redirect."""
    if raw:
        return
    if instance.is_public:
        # Readers now find this article here: an old redirect from it goes.
        # Until then (a draft, or scheduled) the old address keeps redirecting;
        # the article page answers first, so a scheduled article takes the
        # address the moment it goes public.
        address = Redirect.key(instance.get_absolute_url())
        Redirect.objects.filter(path=address).delete()
    if instance.pk is None:
        return
    # Only an address readers could have seen is worth keeping.
    previous = (
        Article.objects.published()
        .filter(pk=instance.pk)
        .select_related("section")
        .only("slug", "publish_at", "section__slug")
        .first()
    )
    if previous is None:
        return
    old = Redirect.key(previous.get_absolute_url())
    if old != Redirect.key(instance.get_absolute_url()):
        Redirect.objects.update_or_create(path=old, defaults={"article": instance})


@receiver(post_save, sender=Article)
@receiver(post_save, sender=Section)
@receiver(post_save, sender=Tag)
@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Article)
@receiver(post_delete, sender=Section)
@receiver(post_delete, sender=Tag)
@receiver(post_delete, sender=Author)
# A library image's alt text, caption or credit shows on public pages too.
@receiver(post_save, sender=Image)
@receiver(post_delete, sender=Image)
def announce_change(sender, instance, **kwargs) -> None:
    _announce(sender, instance)


@receiver(m2m_changed, sender=Article.tags.through)
@receiver(m2m_changed, sender=Article.authors.through)
def announce_relation_change(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _announce(type(instance), instance)


def _announce(sender, instance) -> None:
    pk = instance.pk  # A deleted instance loses it before the commit.
    announce(sender, instance=instance, pk=pk, pks=(pk,))
