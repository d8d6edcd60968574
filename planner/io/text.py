"""Text that comes from users: quoting it safely in messages.

:func:`snippet` shows at most a few dozen characters of a value, with every
character that is not printable (controls, surrogates, zero-width and bidi
controls) escaped, so a message never carries a whole file line or a terminal
escape sequence.
"""

from __future__ import annotations

__all__ = ["SNIPPET", "snippet"]

#: Characters of user text shown in a message at most.
SNIPPET = 40


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def snippet(text: object, limit: int = SNIPPET) -> str:
    """``text`` cut to ``limit`` characters (``...`` added) with non-printables escaped."""
    s = str(text)
    cut = len(s) > limit
    s = s[:limit]
    if not s.isprintable():
        s = "".join(c if c.isprintable() else _escape(c) for c in s)
    return s + ("..." if cut else "")
