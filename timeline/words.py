"""Counted nouns in messages, titles and the page: "1 article", "2 articles"."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """`count` with its noun in the number it takes ("1 event", "0 events", "3 people")."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"
