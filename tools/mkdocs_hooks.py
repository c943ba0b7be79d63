"""mkdocs hooks for the docs site (``hooks:`` in mkdocs.yml).

The docstrings use a few Sphinx roles (``:class:`Secret```, ``:func:`~pkg.load_settings```),
which Markdown leaves as text: the API reference shows them as plain code instead, the last
dotted part only when the target starts with ``~`` (as Sphinx does).
"""

from __future__ import annotations

import re
from typing import Any

ROLE = re.compile(r":(?:class|func|data|meth|attr|mod|exc|obj):<code>(~?)([^<]*)</code>")


def _plain(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    return f"<code>{target.rsplit('.', 1)[-1] if tilde else target}</code>"


def on_page_content(html: str, **kwargs: Any) -> str:
    return ROLE.sub(_plain, html)
