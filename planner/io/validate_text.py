"""Rules on the text of a scenario (called by :mod:`planner.io.validate`).

Errors
------
* **Control characters and lone surrogates.** No text may hold a control
  character (U+0000-U+001F, U+007F-U+009F; ``description`` may hold line breaks
  and tabs), a line or paragraph separator (U+2028, U+2029), or a lone surrogate
  (U+D800-U+DFFF, not valid Unicode: such text cannot be written as UTF-8).
* **Length.** Ids, names, labels and every other text are at most
  :data:`MAX_TEXT` (200) characters, ``description`` at most
  :data:`MAX_DESCRIPTION` (2,000). One long name is repeated in many rows of a
  plan (a 200 KB name shared by 200 staff wrote a 269 MB plan); it also keeps
  every name within Excel's 32,767 characters per cell.
* **Reserved ids.** No id may start with ``rtb:`` or ``external:``: plan files
  use ``rtb:<unit>`` for run-the-business work and ``external:<skill>`` for
  contractors, so such an id would be read back as something else.

Warnings
--------
* **Look-alike ids.** Two ids of one kind (units, staff, initiatives, contracts,
  objectives, KPIs, skills) that differ only by case, Unicode compatibility
  normalisation (NFKC) or invisible zero-width and bidirectional control
  characters are almost always one thing typed twice; both are named.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from planner.io.text import snippet

if TYPE_CHECKING:
    from planner.io.validate import _Checker

MAX_TEXT = 200
MAX_DESCRIPTION = 2_000
RESERVED_PREFIXES = ("rtb:", "external:")

#: zero-width and bidirectional control characters: invisible in ids
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\ufeff]")
_ALLOWED_IN_DESCRIPTION = frozenset("\n\t")
_ID_SECTIONS = (
    (("units",), "unit"), (("staff",), "person"), (("initiatives",), "initiative"),
    (("strategy", "objectives"), "objective"), (("strategy", "kpis"), "KPI"),
)


def text_problem(text: str, limit: int = MAX_TEXT, allowed: frozenset[str] = frozenset()
                 ) -> str | None:
    """What is wrong with ``text`` (None when nothing): a refused character or its length."""
    if len(text) > limit:
        return (f"is {len(text):,} characters long; text is limited to {limit:,} characters "
                f"('{snippet(text)}')")
    if text.isprintable():
        return None
    for pos, ch in enumerate(text):
        if ch.isprintable() or ch in allowed:
            continue
        cat = unicodedata.category(ch)
        where = f"U+{ord(ch):04X} at position {pos + 1}"
        if cat == "Cs":
            return (f"holds a lone surrogate ({where}): not valid Unicode text, it cannot be "
                    "written to a file")
        if cat == "Cc":
            return f"holds a control character ({where}): remove it"
        if cat in ("Zl", "Zp"):
            return f"holds a line or paragraph separator ({where}): remove it"
    return None


def lookalike_key(ident: str) -> str:
    """The form two look-alike ids share: invisible characters dropped, NFKC, case folded."""
    if ident.isascii():
        return ident.lower()
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", ident)).casefold()


def text_issues(ch: _Checker) -> None:
    """Report every text rule broken in the checker's scenario through ``ch``."""
    _walk(ch, ch.s, ())
    _staff(ch)
    _reserved(ch)
    _lookalikes(ch)


def _walk(ch: _Checker, model: BaseModel, path: tuple[Any, ...]) -> None:
    """Every text of every model except the staff (see :func:`_staff`)."""
    for name, info in type(model).model_fields.items():
        if not path and name == "staff":
            continue
        key = info.alias or name
        limit = MAX_DESCRIPTION if name == "description" else MAX_TEXT
        allowed = _ALLOWED_IN_DESCRIPTION if name == "description" else frozenset()
        _value(ch, getattr(model, name), path + (key,), limit, allowed)


def _value(ch: _Checker, value: Any, path: tuple[Any, ...], limit: int,
           allowed: frozenset[str]) -> None:
    if isinstance(value, str):
        problem = text_problem(value, limit, allowed)
        if problem:
            ch.error(path, problem)
    elif isinstance(value, BaseModel):
        _walk(ch, value, path)
    elif isinstance(value, list):
        for k, v in enumerate(value):
            _value(ch, v, path + (k,), limit, allowed)
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                problem = text_problem(k)
                if problem:
                    ch.error(path, f"key '{snippet(k)}' {problem}")
                    continue
            _value(ch, v, path + (k,), limit, allowed)


def _staff(ch: _Checker) -> None:
    """The staff's texts. Fast on a million people: every distinct text is checked
    once in bulk, and people are looked at one by one only when one is wrong."""
    staff = ch.s.staff
    if not staff:
        return
    ok = _fine

    def all_fine(texts: Iterable[str | None]) -> bool:  # in C: no Python call per text
        present = [t for t in texts if t is not None]
        return not present or (max(map(len, present)) <= MAX_TEXT
                               and "".join(present).isprintable())

    d = ch.people
    shared = d.units | set().union(*d.unit_skills.values()) | d.labels | d.develop
    if all_fine(d.ids) and all_fine(d.names) and all_fine(shared):
        return
    good: set[str] = set()
    for k, p in enumerate(staff):
        for fld, text in (("id", p.id), ("name", p.name)):
            if text is not None and not ok(text):
                problem = text_problem(text)
                if problem:
                    ch.error(("staff", k, fld), problem)
        if p.unit not in good:
            _once(ch, good, p.unit, ("staff", k, "unit"))
        for fld, keys in (("skills", p.skills), ("availability", p.availability)):
            for key in keys:
                if key not in good:
                    _once(ch, good, key, ("staff", k, fld), f"key '{snippet(key)}' ")
        for skill in p.develop:
            if skill not in good:
                _once(ch, good, skill, ("staff", k, "develop"), f"skill '{snippet(skill)}' ")


def _fine(text: str) -> bool:
    """True for most texts at once: short and printable (else see :func:`text_problem`)."""
    return len(text) <= MAX_TEXT and text.isprintable()


def _once(ch: _Checker, good: set[str], text: str, path: tuple[Any, ...],
          prefix: str = "") -> None:
    problem = text_problem(text)
    if problem:
        ch.error(path, prefix + problem)
    else:
        good.add(text)


def _ids(ch: _Checker, path: tuple[str, ...]) -> list[str | None]:
    """The ids of a list section (memoised on the checker: the staff may be a million)."""
    memo: dict[tuple[str, ...], list[str | None]] = ch.__dict__.setdefault("_ids_memo", {})
    if path not in memo:
        s = ch.s
        if path == ("staff",):
            memo[path] = list(ch.people.ids)
            return memo[path]
        sections: dict[tuple[str, ...], list[Any]] = {
            ("units",): s.units, ("staff",): s.staff, ("initiatives",): s.initiatives,
            ("strategy", "objectives"): s.strategy.objectives,
            ("strategy", "kpis"): s.strategy.kpis, ("external",): s.external,
        }
        items = sections[path]
        memo[path] = [item.id for item in items]
    return memo[path]


def _id_lists(ch: _Checker) -> Iterable[tuple[tuple[str, ...], str, list[str | None]]]:
    for path, kind in _ID_SECTIONS:
        yield path, kind, _ids(ch, path)
    yield ("external",), "contract", _ids(ch, ("external",))


def _reserved(ch: _Checker) -> None:
    for path, kind, ids in _id_lists(ch):
        hits = [k for k, i in enumerate(ids) if i is not None and i.startswith(RESERVED_PREFIXES)]
        for k in hits:
            ident = str(ids[k])
            form = next(p for p in RESERVED_PREFIXES if ident.startswith(p))
            use = ("run-the-business work (rtb:<unit>)" if form == "rtb:" else
                   "contractors (external:<skill>)")
            ch.error(path + (k, "id"),
                     f"{kind} id '{snippet(ident)}' has the reserved form '{form}...': plan "
                     f"files name {use} that way; choose another id")


def _lookalikes(ch: _Checker) -> None:
    for path, kind, ids in _id_lists(ch):
        present = [i for i in ids if i is not None]
        keys = [i.lower() if i.isascii() else lookalike_key(i) for i in present]
        if len(set(keys)) == len(set(present)):
            continue  # no two distinct ids share a form: the usual case, decided in bulk
        seen: dict[str, str] = {}
        for k, ident in enumerate(ids):
            if ident is None:
                continue
            key = lookalike_key(ident)
            first = seen.setdefault(key, ident)
            if first != ident:
                ch.warning(path + (k, "id"), _lookalike(kind, first, ident))
    seen_skill: dict[str, str] = {}
    for skill, where in _skills(ch):
        key = lookalike_key(skill)
        first = seen_skill.setdefault(key, skill)
        if first != skill:
            ch.warning(where, _lookalike("skill", first, skill))


def _lookalike(kind: str, first: str, other: str) -> str:
    return (f"{kind} '{snippet(other)}' looks like {kind} '{snippet(first)}' (they differ "
            "only by case, Unicode normalisation or invisible characters): the same thing "
            "typed twice?")


def _skills(ch: _Checker) -> Iterable[tuple[str, tuple[Any, ...]]]:
    """Each distinct skill name once, with where it first appears."""
    s = ch.s
    done: set[str] = set()

    def new(skill: str) -> bool:
        if skill in done:
            return False
        done.add(skill)
        return True

    staff_skills = set().union(*ch.people.unit_skills.values()) | ch.people.develop
    if staff_skills:
        for k, p in enumerate(s.staff):
            for skill in p.skills:
                if skill not in done and new(skill):
                    yield skill, ("staff", k, "skills")
            for skill in p.develop:
                if skill not in done and new(skill):
                    yield skill, ("staff", k, "develop")
            if len(done) == len(staff_skills):
                break  # every staff skill placed: the rest of the staff adds none
    for k, line in enumerate(s.run_the_business):
        if new(line.skill):
            yield line.skill, ("run_the_business", k, "skill")
    for k, ini in enumerate(s.initiatives):
        for j, ln in enumerate(ini.effort):
            if new(ln.skill):
                yield ln.skill, ("initiatives", k, "effort", j, "skill")
    for k, e in enumerate(s.external):
        if new(e.skill):
            yield e.skill, ("external", k, "skill")
