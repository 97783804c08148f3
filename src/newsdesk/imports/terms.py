"""Sections, tags and authors an import names, found or made in bulk.

Once per batch: one query and one insert per kind, however many articles name
them. A term is matched by its slug; names are kept unique where the site
needs them to be (sections, tags).
"""

from __future__ import annotations

from urllib.parse import unquote

from django.utils.text import slugify

from newsdesk.content.models import RESERVED_SLUGS, Author, Section, Tag
from newsdesk.imports.types import Report, Term

KINDS = {"section": (Section, 100), "tag": (Tag, 100), "author": (Author, 150)}


class Terms:
    """The sections, tags and authors of one import, by the source's terms."""

    def __init__(self, report: Report, *, default_section: Term, batch_size: int):
        self.report = report
        self.default_section = default_section
        self.batch_size = batch_size
        self._terms: dict[tuple[str, Term], Section | Tag | Author] = {}
        self._by_slug: dict[str, dict] = {kind: {} for kind in KINDS}
        self._declared: list[tuple[str, Term]] = []

    def declare(self, kind: str, term: Term) -> None:
        """Make sure a section, tag or author exists, even if no article names it."""
        self._declared.append((kind, term))
        if len(self._declared) >= self.batch_size:
            self.resolve_declared()

    def section(self, term: Term | None) -> Section:
        """Return the section for a term (the default section for None)."""
        return self.resolve("section", [term or self.default_section])[0]

    def tag(self, term: Term) -> Tag:
        """Return the tag for a term."""
        return self.resolve("tag", [term])[0]

    def author(self, term: Term) -> Author:
        """Return the author for a term (its slug made from the login)."""
        return self.resolve("author", [term])[0]

    def resolve_declared(self) -> None:
        declared, self._declared = self._declared, []
        for kind in KINDS:
            self.resolve(kind, [t for k, t in declared if k == kind])

    def resolve(self, kind: str, terms: list[Term]) -> list:
        """Return the objects for the terms, finding or making them in bulk."""
        model, max_length = KINDS[kind]
        known = self._terms
        todo: dict[str, list[Term]] = {}
        for term in terms:
            if (kind, term) not in known:
                slug = slug_of(
                    term.slug or term.name, fallback=kind, max_length=max_length
                )
                if kind == "section" and slug in RESERVED_SLUGS:
                    slug = f"{slug}-section"
                todo.setdefault(slug, []).append(term)
        if todo:
            by_slug = self._by_slug[kind]
            missing = [slug for slug in todo if slug not in by_slug]
            for found in model.objects.filter(slug__in=missing):
                by_slug[found.slug] = found
            made = self._make(
                kind, [(s, todo[s][0]) for s in missing if s not in by_slug]
            )
            for obj in made:
                by_slug[obj.slug] = obj
            for slug, same in todo.items():
                for term in same:
                    known[kind, term] = by_slug[slug]
        return [known[kind, term] for term in terms]

    def _make(self, kind: str, wanted: list[tuple[str, Term]]) -> list:
        if not wanted:
            return []
        model, max_length = KINDS[kind]
        names = {
            slug: " ".join(term.name.split())[:max_length] or slug
            for slug, term in wanted
        }
        taken = set()
        if kind != "author":  # Section and tag names are unique.
            taken = set(
                model.objects.filter(name__in=names.values()).values_list(
                    "name", flat=True
                )
            )
        rows = []
        for slug, term in wanted:
            name = names[slug]
            if name in taken:
                name = f"{name[: max_length - len(slug) - 3]} ({slug})"
            taken.add(name)
            fields = {"slug": slug, "name": name}
            if kind == "section":
                fields["description"] = term.description
            elif kind == "author":
                fields["bio"] = term.description
            rows.append(model(**fields))
        self.report.created[f"{kind}s"] += len(rows)
        return model.objects.bulk_create(rows)


def slug_of(value: str, *, fallback: str, max_length: int) -> str:
    """Return a slug for a name or address, the fallback's when it has none.

    In any script, as WordPress keeps them: `%e8%b0%83%e8%af%95nginx` (a
    WordPress slug, percent-encoded) gives `调试nginx`, “Zażółć” `zażółć`.
    """
    slug = slugify(unquote(value or ""), allow_unicode=True)[:max_length].strip("-")
    return slug or slugify(fallback, allow_unicode=True)[:max_length]
