"""One CSV file of a scenario, read as a stream of rows.

:func:`open_table` checks where the file is (under the scenario's folder unless
allowed otherwise) and what it is (a regular file within the size limit, see
:mod:`planner.io.files`), reads the header and returns a :class:`CsvTable` whose
rows are read one at a time: a million-row file is never held twice in memory.
Every problem is reported through a callback with the file and the line a row
starts on (an unclosed quote names the line it opened on).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planner.io.files import ENV_ALLOW_OUTSIDE, InputFileError, ReadOptions, is_inside, open_input
from planner.io.text import snippet

#: unknown or duplicate columns reported one by one at most (then counted)
MAX_SHOWN = 5

#: ``report(file, line, field, message)``; file None = the reference in the scenario
Report = Callable[["str | None", "int | None", "str | None", str], None]


@dataclass
class CsvTable:
    """A CSV file: display name, columns, and its rows as a one-pass stream.

    ``rows()`` yields ``(line, cells)``: the line the row starts on and its cells,
    stripped, exactly one per header column (short rows padded with ``""``).
    Blank rows are skipped.
    """

    name: str
    header: list[str]
    _stream: Iterator[tuple[int, list[str]]] = field(repr=False)

    @property
    def columns(self) -> list[str]:
        """The named columns, in file order."""
        return [c for c in self.header if c]

    def position(self, column: str) -> int:
        """Index of ``column`` in each row's cells."""
        return self.header.index(column)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The rows, read as they are consumed (one pass only)."""
        return self._stream


def open_table(ref: str, base_dir: Path, display: str, options: ReadOptions,
               report: Report) -> CsvTable | None:
    """Open the CSV file ``ref`` (relative to ``base_dir``) and read its header.

    Returns None (after reporting why) when the file may not or cannot be read.
    """
    shown = snippet(ref, 80)
    target = base_dir / ref
    if not options.allow_outside and not is_inside(target, base_dir):
        report(None, None, None,
               f"CSV file '{shown}' lies outside the scenario's folder; a scenario reads only "
               f"files under its own folder (allow others with --allow-outside or "
               f"{ENV_ALLOW_OUTSIDE}=1)")
        return None
    try:
        fh = io.TextIOWrapper(open_input(target, options), encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        report(None, None, None, f"CSV file '{shown}' not found ({snippet(target, 200)})")
        return None
    except IsADirectoryError:
        report(None, None, None, f"'{shown}' is a directory, not a CSV file")
        return None
    except InputFileError as exc:
        report(None, None, None, f"CSV file '{shown}' {exc}")
        return None
    except OSError as exc:
        report(None, None, None, f"cannot read CSV file '{shown}': {exc.strerror or exc}")
        return None
    failed: list[bool] = []
    width: list[int] = []
    stream = _rows(fh, display, report, failed, width)
    first = next(stream, None)
    if first is None or not any(first[1]):
        stream.close()
        if not failed:
            report(display, 1, None, "the CSV file is empty (no header row)")
        return None
    header = first[1]
    dup = sorted({c for c in header if c and header.count(c) > 1})
    if dup:
        stream.close()
        report(display, 1, None,
               f"duplicate column(s): {', '.join(snippet(c) for c in dup[:MAX_SHOWN])}")
        return None
    width.append(len(header))  # from now on the stream pads or cuts rows to the header
    return CsvTable(display, header, stream)


def _rows(fh: io.TextIOWrapper, display: str, report: Report, failed: list[bool],
          width: list[int]) -> Generator[tuple[int, list[str]], None, None]:
    """Rows as (start line, stripped cells); once ``width`` holds the header's width,
    rows are cut or padded to it and blank ones skipped. A read error is reported (and
    noted in ``failed``), then the stream ends."""
    start = 1
    try:
        with fh:
            reader = csv.reader(fh)
            for cells in reader:
                end = reader.line_num
                if end > start and any("\n" in c or "\r" in c for c in cells):
                    report(display, start, None,
                           f"a quoted cell opened on line {start} runs to line {end}: a "
                           "closing quote is missing, or a cell holds a line break (not "
                           "allowed)")
                elif cells:
                    cells = [c.strip() for c in cells]
                    if width:
                        n, w = len(cells), width[0]
                        if n != w:
                            if n > w and any(cells[w:]):
                                report(display, start, None,
                                       f"the row has {n} cells but the header has {w} columns")
                            cells = cells[:w] if n > w else cells + [""] * (w - n)
                        if any(cells):
                            yield start, cells
                    else:
                        yield start, cells
                start = end + 1
    except UnicodeDecodeError as exc:
        failed.append(True)
        report(display, None, None, f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8")
    except InputFileError as exc:
        failed.append(True)
        report(display, None, None, str(exc))
    except csv.Error as exc:
        failed.append(True)
        hint = " (a quote opened there and never closed?)" if "field limit" in str(exc) else ""
        report(display, start, None,
               f"cannot read the row starting on line {start}: {exc}{hint}")
    except OSError as exc:
        failed.append(True)
        report(display, None, None, f"cannot read the file: {exc.strerror or exc}")


def display_name(filename: str, ref: str) -> str:
    """How messages name the CSV file ``ref`` named in the scenario file ``filename``."""
    return os.path.normpath(os.path.join(os.path.dirname(filename), ref))
