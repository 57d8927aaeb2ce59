"""Find and load the project's knowledge files (`data/`), once per process.

The same code works from a source checkout (`data/` beside the package) and from
an installed wheel (`timeline/data/`), so the installed tool needs no network.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


class ResourceError(ValueError):
    """A knowledge file is malformed; the message names the file and line."""


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


@cache
def data_dir() -> Path:
    """The folder holding gazetteers and rule tables."""
    return _first_existing(_PACKAGE / "data", _PACKAGE.parent / "data")


@cache
def seeds_dir() -> Path:
    """The folder holding the bundled seed article(s)."""
    return _first_existing(_PACKAGE / "seeds", _PACKAGE.parent / "seeds")


def data_path(relative: str) -> Path:
    """Path of one knowledge file, relative to `data/`."""
    return data_dir() / relative


def read_table(relative: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for a CSV/TSV file in `data/`, skipping `#` comment lines.

    The delimiter follows the suffix (`.tsv` is tab-separated).
    """
    path = data_path(relative)
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(encoding="utf-8", newline="") as handle:
        lines = ((n, line) for n, line in enumerate(handle, 1) if not line.startswith("#"))
        numbered = list(lines)
    reader = csv.DictReader((line for _, line in numbered), delimiter=delimiter)
    for (number, _), row in zip(numbered[1:], reader, strict=False):
        if None in row or any(value is None for value in row.values()):
            raise ResourceError(f"{path}:{number}: wrong number of fields")
        yield number, {key: (value or "").strip() for key, value in row.items()}


def read_lines(relative: str) -> list[str]:
    """Non-empty, non-comment lines of a word list in `data/`."""
    path = data_path(relative)
    with path.open(encoding="utf-8") as handle:
        return [
            line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")
        ]
