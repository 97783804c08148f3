"""The content models; `from newsdesk.content.models import Article` works for all."""

from newsdesk.content.models.articles import (
    EDITOR_EXTENSIONS,
    RESERVED_SLUGS,
    Article,
    ArticleQuerySet,
    Author,
    ContentQuerySet,
    EditConflict,
    Section,
    Tag,
    reserved_slugs,
    validate_section_slug,
)
from newsdesk.content.models.redirects import Redirect
from newsdesk.content.models.revisions import Autosave, Presence, Revision

__all__ = [
    "EDITOR_EXTENSIONS", "RESERVED_SLUGS", "Article", "ArticleQuerySet",
    "Author", "Autosave", "ContentQuerySet", "EditConflict", "Presence",
    "Redirect", "Revision", "Section", "Tag", "reserved_slugs", "validate_section_slug",
]  # fmt: skip
