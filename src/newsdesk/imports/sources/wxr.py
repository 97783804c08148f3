"""Reading WordPress's export format (WXR) as a stream of <channel> children.

expat (the parser Python ships) with a small tree builder: each child of <channel>
(an <item>, a <wp:category>, …) is built, handed over, then dropped, so memory stays
flat whatever the file's size. Names are checked by namespace, not prefix: WXR 1.0,
1.1 and 1.2 each have their own, and a file may bind `wp:` to something else.

Two faults WordPress's own importer reads past are repaired, each noted in
`ChannelReader.repairs` for the report: text before `<?xml` (a PHP warning
printed ahead of the export) is skipped, and a prefix used but never declared
(WordPress.com's `atom:link`) is declared on the root element, the parse
starting over with the elements already given skipped. Anything else not
well-formed is refused, with its line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from django.utils.text import slugify

from newsdesk.imports.types import ImportRefused

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[012]/$")
EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[012]/excerpt/$")
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
VERSIONS = ("1.0", "1.1", "1.2")

# What one child of <channel> (an item, a category) may hold in memory. A
# WordPress export nests six deep and a post holds some dozens of elements (a
# comment's fields are counted, not kept): these are far beyond any real one.
MAX_DEPTH = 64
MAX_ELEMENTS = 100_000
MAX_TEXT = 20_000_000  # characters

# Where text before `<?xml` is looked for (a PHP warning is a few lines).
HEAD = 1 << 16
XML_DECLARATION = b"<?xml"
BOM = b"\xef\xbb\xbf"
# Prefixes exports use without declaring them, with what they mean; any other
# undeclared prefix is bound to a name of its own (its elements are not read).
KNOWN_PREFIXES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": CONTENT,
    "dc": DC,
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "media": "http://search.yahoo.com/mrss/",
    "georss": "http://www.georss.org/georss",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
}
# Those whose meaning depends on the WXR version: not guessed.
VERSIONED_PREFIXES = ("wp", "excerpt")
MAX_REPAIRED_PREFIXES = 20
PREFIXED_NAME = re.compile(rb"<?([A-Za-z_][\w.-]*):")
ROOT_NAME = re.compile(rb"<[^\s/>]+")
UNBOUND_PREFIX = expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]


def split(tag: str) -> tuple[str, str]:
    """Return (namespace, local name) of an ElementTree tag."""
    if tag[:1] == "{":
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _qualified(name: str) -> str:
    return "{" + name if "}" in name else name


def is_wp(namespace: str) -> bool:
    return bool(WP_NAMESPACE.match(namespace))


@dataclass
class Item:
    """The fields of one <item>, namespaces checked."""

    rss: dict
    wp: dict
    meta: dict
    categories: list[tuple[str, str, str]]  # (domain, nicename, name)
    creator: str
    content: str
    excerpt: str
    comments: int
    line: int

    @property
    def post_type(self) -> str:
        return self.wp.get("post_type", "").strip() or "post"

    @property
    def post_id(self) -> str:
        value = self.wp.get("post_id", "").strip()
        return value if value.isdigit() else ""

    def category_terms(self) -> list[tuple[str, str]]:
        """Return (nicename, name) of the item's categories, in order.

        Old exports repeat each category without a domain; exports that give
        none with a domain (some hand-made ones) mean categories by the bare ones.
        """
        found = [(d, n, name) for d, n, name in self.categories if n or name]
        domain = "category" if any(d == "category" for d, _, _ in found) else ""
        return [(n or slugify(name), name) for d, n, name in found if d == domain]

    def label(self) -> str:
        title = self.rss.get("title", "").strip()
        where = f"item at line {self.line}"
        if self.post_id:
            where += f" (post {self.post_id}"
            where += f", “{title[:60]}”)" if title else ")"
        return where


def read_item(element: Element, line: int = 0) -> Item:
    rss, wp, meta, categories = {}, {}, {}, []
    creator = content = excerpt = ""
    comments = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        namespace, local = split(child.tag)
        text = child.text or ""
        if namespace == "":
            if local == "category":
                categories.append(
                    (child.get("domain", ""), child.get("nicename", ""), text.strip())
                )
            else:
                rss.setdefault(local, text)
        elif is_wp(namespace):
            if local == "postmeta":
                pair = {
                    split(c.tag)[1]: c.text or ""
                    for c in child
                    if isinstance(c.tag, str) and is_wp(split(c.tag)[0])
                }
                if "meta_key" in pair:
                    meta.setdefault(
                        pair["meta_key"].strip(), pair.get("meta_value", "")
                    )
            elif local == "comment":
                comments += 1
            else:
                wp.setdefault(local, text)
        elif namespace == DC and local == "creator":
            creator = creator or text.strip()
        elif namespace == CONTENT and local == "encoded":
            content = content or text
        elif EXCERPT_NAMESPACE.match(namespace) and local == "encoded":
            excerpt = excerpt or text
    return Item(
        rss, wp, meta, categories, creator, content, excerpt, comments,
        line,
    )  # fmt: skip


WP_TAGS = [
    f"{{{scheme}://wordpress.org/export/1.{minor}/}}"
    for minor in (2, 1, 0)
    for scheme in ("http", "https")
]


def post_type_of(element: Element) -> str:
    """Return an item's post type quickly (ElementTree's find runs in C)."""
    for prefix in WP_TAGS:
        found = element.find(prefix + "post_type")
        if found is not None:
            return (found.text or "").strip() or "post"
    return "post"


def wp_children(element) -> dict[str, str]:
    """Return the WordPress-namespaced children of a channel element, by name."""
    found: dict[str, str] = {}
    for child in element:
        if isinstance(child.tag, str):
            namespace, local = split(child.tag)
            if is_wp(namespace):
                found.setdefault(local, (child.text or "").strip())
    return found


class _Unbound(Exception):
    """A prefix used undeclared, at a byte of what was parsed."""

    def __init__(self, index: int, line: int, message: str) -> None:
        super().__init__(message)
        self.index, self.line, self.message = index, line, message


class ChannelReader:
    """Iterate over the finished children of <channel>, each with its line.

    `declared` (prefix → namespace) are declared on the root element before
    reading: pass a first reading's `declared` to a second to read it the same
    way without starting over. `repairs` says what was repaired, for a person.
    """

    def __init__(self, path: str, declared: dict[str, str] | None = None) -> None:
        self.path = path
        self.done = 0.0  # Share of the file read so far.
        self.last_line = 0
        self.declared: dict[str, str] = dict(declared or {})
        self.repairs: list[str] = []
        self._root_end = 0  # Where the root's name ends, where declarations go.

    def __iter__(self) -> Iterator[tuple[Element, int]]:
        try:
            with open(self.path, "rb") as source:
                size = os.fstat(source.fileno()).st_size or 1
                skip, shift = self._skip_head(source)
                given = 0  # Elements already handed over, skipped when starting over.
                while True:
                    try:
                        parsed = self._parse(source, size, skip, shift)
                        for number, found in enumerate(parsed):
                            if number >= given:
                                given += 1
                                yield found
                        return
                    except _Unbound as unbound:
                        self._declare(source, skip, unbound)
        except OSError as error:
            raise ImportRefused(f"{self.path}: can't read it: {error}") from None

    def _skip_head(self, source) -> tuple[int, int]:
        """Return the bytes before `<?xml` to skip, and the lines they hold."""
        head = source.read(HEAD)
        at = head.find(XML_DECLARATION)
        if at <= 0 or head[:at] == BOM:
            return 0, 0
        skipped = head[:at]
        lines = skipped.count(b"\n")
        text = " ".join(skipped.decode("utf-8", "replace").split())
        text = text[:80] + ("…" if len(text) > 80 else "")
        where = "line 1" if not lines else f"lines 1–{lines + 1}"
        self.repairs.append(
            f"{self.path}: skipped {len(skipped):,} bytes before <?xml "
            f"({where}: “{text}”)"
        )
        return at, lines

    def _declare(self, source, skip: int, unbound: _Unbound) -> None:
        """Declare the prefix an _Unbound names on the root, or refuse."""
        inserted = len(self._declarations())
        index = unbound.index
        if inserted and index >= self._root_end:
            index -= inserted
        source.seek(skip + index)
        found = PREFIXED_NAME.match(source.read(200))
        prefix = found.group(1).decode("ascii") if found else ""
        why = ""
        if prefix in VERSIONED_PREFIXES:
            why = f" (the {prefix}: prefix, never declared: which WXR version?)"
        elif not prefix or prefix in self.declared or prefix.lower() == "xmlns":
            why = ""
        elif len(self.declared) >= MAX_REPAIRED_PREFIXES:
            why = f" (more than {MAX_REPAIRED_PREFIXES} prefixes never declared)"
        else:
            if not self._root_end:
                self._root_end = self._find_root(source, skip)
                if not self._root_end:
                    why = " (no root element to declare it on)"
            if not why:
                uri = KNOWN_PREFIXES.get(prefix, f"urn:newsdesk:undeclared:{prefix}")
                self.declared[prefix] = uri
                self.repairs.append(
                    f"{self.path}: line {unbound.line}: declared the missing "
                    f"{prefix}: namespace ({uri})"
                )
                return
        raise ImportRefused(f"{unbound.message}{why}. Nothing was imported.")

    @staticmethod
    def _find_root(source, skip: int) -> int:
        """Return where the root element's name ends, from `skip` (0 if none)."""
        parser = expat.ParserCreate()  # Without namespaces: no prefix is unbound.
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        found: list[int] = []

        def start(name: str, attrs: dict) -> None:
            found.append(parser.CurrentByteIndex)
            raise StopIteration

        parser.StartElementHandler = start
        source.seek(skip)
        try:
            while not found and (chunk := source.read(1 << 16)):
                parser.Parse(chunk, False)
        except (StopIteration, expat.ExpatError, LookupError):
            pass
        if not found:
            return 0
        source.seek(skip + found[0])
        name = ROOT_NAME.match(source.read(300))
        return found[0] + name.end() if name else 0

    def _declarations(self) -> bytes:
        return "".join(
            f' xmlns:{prefix}="{uri}"' for prefix, uri in self.declared.items()
        ).encode("ascii")

    def _parse(
        self, source, size: int, skip: int, shift: int
    ) -> Iterator[tuple[Element, int]]:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.ordered_attributes = False
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        builder = TreeBuilder()
        stack: list[tuple[Element, int]] = []
        done: list[tuple[Element, int]] = []
        # Open elements, built or not; elements and text held for this child of
        # <channel>; the depth of a comment whose fields are skipped, if inside one.
        depth = held = text = skipping = 0

        def refuse(what: str) -> None:
            where = f" (the one from line {stack[2][1]})" if len(stack) > 2 else ""
            raise ImportRefused(
                f"{self.path}: line {parser.CurrentLineNumber + shift}: "
                f"an item{where} "
                f"{what}, which no WordPress export has. Nothing was imported."
            )

        def start(name: str, attrs: dict) -> None:
            nonlocal depth, held, skipping
            depth += 1
            if depth > MAX_DEPTH:
                refuse(f"nested more than {MAX_DEPTH} elements deep")
            if skipping:
                return
            held += 1
            if held > MAX_ELEMENTS:
                refuse(f"holding more than {MAX_ELEMENTS:,} elements")
            tag = _qualified(name)
            if attrs:  # Most elements have none.
                attrs = {_qualified(k): v for k, v in attrs.items()}
            element = builder.start(tag, attrs)
            stack.append((element, parser.CurrentLineNumber + shift))
            if len(stack) == 4 and name.endswith("}comment"):
                # Comments are only counted: their fields needn't be kept.
                skipping = is_wp(name.rpartition("}")[0]) and depth

        def end(name: str) -> None:
            nonlocal depth, held, text, skipping
            depth -= 1
            if skipping and depth >= skipping:
                return
            skipping = 0
            builder.end(_qualified(name))
            element, line = stack.pop()
            if len(stack) == 2 and stack[1][0].tag == "channel":
                done.append((element, line))
                held = text = 0

        def data(chunk: str) -> None:
            nonlocal text
            if skipping:
                return
            text += len(chunk)
            if text > MAX_TEXT:
                refuse(f"holding more than {MAX_TEXT:,} characters of text")
            builder.data(chunk)

        def refuse_dtd(*args) -> None:
            raise ImportRefused(
                f"{self.path}: line {parser.CurrentLineNumber + shift}: "
                "a DOCTYPE or entity "
                "declaration, which WordPress exports never have. Nothing was imported."
            )

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        insert = self._declarations()
        if insert and not self._root_end:
            self._root_end = self._find_root(source, skip)
        at = self._root_end
        try:
            source.seek(skip)
            read = 0  # Bytes of the file parsed, from `skip`.
            while chunk := source.read(1 << 20):
                if insert and read <= at < read + len(chunk):
                    chunk = chunk[: at - read] + insert + chunk[at - read :]
                read += len(chunk)
                self.done = source.tell() / size
                parser.Parse(chunk, False)
                yield from done
                if done:
                    done.clear()
                    if len(stack) > 1:
                        # The open element, if any, is still built.
                        del stack[1][0][:]
            parser.Parse(b"", True)
            self.last_line = parser.CurrentLineNumber + shift
            yield from done
        except expat.ExpatError as error:
            message = (
                f"{self.path}: not well-formed XML at line {error.lineno + shift}, "
                f"column {error.offset + 1}: {expat.ErrorString(error.code)}"
            )
            if error.code == UNBOUND_PREFIX:
                raise _Unbound(
                    parser.ErrorByteIndex, error.lineno + shift, message
                ) from None
            raise ImportRefused(f"{message}. Nothing was imported.") from None
        except LookupError as error:  # An encoding Python doesn't know.
            raise ImportRefused(
                f"{self.path}: line {parser.CurrentLineNumber + shift}: {error}. "
                "Nothing was imported."
            ) from None
