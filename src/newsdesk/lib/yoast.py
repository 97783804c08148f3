"""Yoast SEO's title and description templates, filled in as Yoast would.

Yoast stores a post's own search-engine title and description as postmeta
(`_yoast_wpseo_title`, `_yoast_wpseo_metadesc`), often with replacement variables:
`%%title%% %%sep%% %%sitename%%`. Django-free; the WordPress importer calls it.
"""

from __future__ import annotations

import re

# Yoast's default separator (its `sc-dash` option).
SEPARATOR = "-"
_VARIABLE = re.compile(r"%%([A-Za-z0-9_]+)%%")


def fill(template: str, values: dict[str, str], *, separator: str = SEPARATOR) -> str:
    """Return the template with its variables replaced; unknown ones dropped.

    `values` holds the post's variables by name (`title`, `sitename`,
    `excerpt`, …); `%%sep%%` is the separator. Whitespace is collapsed, and a
    separator left dangling by a dropped variable goes with it.
    """
    known = {**values, "sep": separator}
    text = _VARIABLE.sub(lambda match: known.get(match[1].lower(), ""), template)
    words = text.split()
    # "Title - - Site" once a variable between went; "- Site" when the first did.
    kept: list[str] = []
    for word in words:
        if word == separator and (not kept or kept[-1] == separator):
            continue
        kept.append(word)
    while kept and kept[-1] == separator:
        kept.pop()
    return " ".join(kept)
