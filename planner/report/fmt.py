"""How numbers read in the report: money with the plan's currency, hours, shares, words.

Every function takes plain numbers (``None`` and NaN read as "–") and returns
text; the templates use them as jinja filters.
"""

from __future__ import annotations

import math
from typing import Any

DASH = "–"


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def currency_is_code(currency: str | None) -> bool:
    """True for a code or word written after amounts ('EUR', 'kr'), false for a symbol ('€')."""
    return bool(currency) and str(currency).replace(" ", "").isalpha() and not any(
        ord(ch) > 0x2000 for ch in str(currency))


def money(x: Any, currency: str | None = None, compact: bool = False) -> str:
    """An amount of money: ``€1,234,567`` / ``1,234,567 EUR``; compact: ``€1.2M``, ``€350k``.

    Whole amounts show no decimals; amounts under 100 with cents show them.
    """
    if _missing(x):
        return DASH
    v = float(x)
    sign = "-" if v < 0 else ""
    a = abs(v)
    if compact and a >= 1e3:
        for div, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
            if a >= div:
                body = f"{a / div:.3g}{suffix}" if a / div < 1000 else f"{a / div:,.0f}{suffix}"
                break
    elif a < 100 and round(a, 2) != round(a):
        body = f"{a:,.2f}"
    else:
        body = f"{a:,.0f}"
    if not currency:
        return sign + body
    if currency_is_code(currency):
        return f"{sign}{body} {currency}"
    return f"{sign}{currency}{body}"


def hours(x: Any, decimals: int = 1) -> str:
    """Hours with thousands separators: ``1,234.5``."""
    if _missing(x):
        return DASH
    text = f"{float(x):,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


def pct(x: Any, decimals: int = 0) -> str:
    """A share as a percentage: ``0.934`` -> ``93%``."""
    if _missing(x):
        return DASH
    return f"{float(x) * 100:.{decimals}f}%"


def num(x: Any) -> str:
    """A plain number, at most 4 significant decimals, no trailing zeros (``2.5``, ``74``)."""
    if _missing(x):
        return DASH
    if isinstance(x, bool):
        return "yes" if x else "no"
    v = float(x)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 initiative``, ``3 initiatives``."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def axis_money(currency: str | None) -> dict[str, Any]:
    """Plotly axis settings that show money readably (``€1.2M``, never ``1e6``)."""
    out: dict[str, Any] = {"tickformat": "~s", "hoverformat": ",.0f", "exponentformat": "SI"}
    if currency:
        if currency_is_code(currency):
            out["ticksuffix"] = f" {currency}"
        else:
            out["tickprefix"] = currency
    return out


def plot_text(text: Any) -> str:
    """Text for a chart label: plotly reads a few HTML tags in labels, so ``<`` is escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
