"""Text made safe to print on a terminal: every message on stdout or stderr goes through here.

A file name or a JSON Lines id can hold ESC sequences, BEL, bidirectional overrides or
bytes that are not UTF-8; printed raw they rewrite or confuse the user's terminal, or
stop the print with an encoding error. They are shown as Python-style escapes instead.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_SHOWN = 1000
"""Characters of one name shown in a message; the rest is cut (a 5,000-character path)."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control, bidirectional-override and surrogate characters escaped."""
    return _UNPRINTABLE.sub(_escape, text)


def shown(name: str) -> str:
    """A path or id as a message shows it: printable and at most MAX_SHOWN characters."""
    safe = printable(name)
    return safe if len(safe) <= MAX_SHOWN else safe[: MAX_SHOWN - 1] + "\u2026"
