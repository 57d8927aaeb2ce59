"""flight-timeline: news articles about aircraft movements → a dated event table.

`timeline.extract(source, published=None)` is the library in one call (see `timeline.api`);
it is imported on first use so the command line starts without loading the pipeline.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract"]


def __getattr__(name: str) -> Any:
    if name == "extract":
        from timeline.api import extract

        return extract
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
