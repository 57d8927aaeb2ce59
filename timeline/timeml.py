"""TimeML I/O for the temporal engine: inline TIMEX3 annotation and scoring against gold .tml.

`annotate` marks up plain text; `annotate_tml` re-annotates a TempEval-3 style document
(DCT as reference, existing tags inside TEXT stripped); `evaluate_tml` counts span and
value agreement with a gold document so a folder of .tml files can be scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape, unescape

from timeline.model import TimeMention
from timeline.temporal import find_times, render

_TEXT = re.compile(r"(<TEXT>)(.*?)(</TEXT>)", re.DOTALL)
_DCT_VALUE = re.compile(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_GOLD_TIMEX = re.compile(r"<TIMEX3\b([^>]*)(?<!/)>(.*?)</TIMEX3>", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_FORWARD = re.compile(r"\b(?:later|after|afterwards)\s*$", re.IGNORECASE)
"""An anchored date counted forward ("two years later") ends its duration; "ago" begins it."""
_TID = re.compile(r'tid="t(\d+)"')
MAX_TID_DIGITS = 9
"""Tids longer than this are refused: no real document numbers a billion expressions."""


def _tag(mention: TimeMention, number: int) -> str:
    mod = f' mod="{mention.mod}"' if mention.mod else ""
    return f'<TIMEX3 tid="t{number}" type="{mention.type}" value="{escape(mention.value)}"{mod}>'


def timex3s(text: str, reference: date | None) -> list[TimeMention]:
    """The mentions of `text` as TimeML annotates them (one TIMEX3 each)."""
    return find_times(text, reference, timeml=True)


def annotate(text: str, reference: date | None, first_tid: int = 1) -> str:
    """`text` (XML-escaped) with a `<TIMEX3>` element around every mention we find."""
    out: list[str] = []
    position = 0
    number = first_tid
    for mention in timex3s(text, reference):
        out.append(escape(text[position : mention.start], quote=False))
        out.append(_tag(mention, number))
        out.append(escape(mention.text, quote=False) + "</TIMEX3>")
        duration = render.embedded_duration(mention)
        if duration:  # TimeML: the span of "two years earlier" as a non-consuming TIMEX3
            side = "endPoint" if _FORWARD.search(mention.text) else "beginPoint"
            out.append(
                f'<TIMEX3 tid="t{number + 1}" type="DURATION" value="{duration}"'
                f' {side}="t{number}"/>'
            )
            number += 1
        number += 1
        position = mention.end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def document_creation_time(document: str) -> date | None:
    """The DCT of a .tml document (`<DCT><TIMEX3 ... value="YYYY-MM-DD"/></DCT>`).

    Raises ValueError when the value has the form of a date but is none (`2019-13-45`).
    """
    match = _DCT_VALUE.search(document)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"the DCT value {match.group(1)!r} is not a date") from None


def text_element(document: str) -> re.Match[str]:
    """The TEXT element of a .tml document; ValueError if it has none."""
    match = _TEXT.search(document)
    if not match:
        raise ValueError("no <TEXT> element in the TimeML document")
    return match


def plain_text(document: str) -> str:
    """The TEXT of a .tml document with every inline tag removed and entities decoded."""
    match = _TEXT.search(document)
    body = match.group(2) if match else document
    return unescape(_TAG.sub("", body))


def annotate_tml(document: str, reference: date | None = None) -> str:
    """The document with our TIMEX3 tags in TEXT (old ones stripped); DCT kept as it was.

    Relative dates resolve against `reference`, else against the document's own DCT.
    """
    match = text_element(document)
    reference = reference or document_creation_time(document)
    tids = _TID.findall(document, 0, match.start())
    if any(len(tid) > MAX_TID_DIGITS for tid in tids):
        raise ValueError(f"a tid of over {MAX_TID_DIGITS} digits is not supported")
    first = max(map(int, tids), default=0) + 1
    body = annotate(plain_text(document), reference, first_tid=first)
    return document[: match.start(2)] + body + document[match.end(2) :]


@dataclass(frozen=True)
class GoldTimex:
    """One gold TIMEX3 of a .tml TEXT: offsets into the plain text plus its attributes."""

    start: int
    end: int
    value: str
    type: str


def gold_timexes(document: str) -> list[GoldTimex]:
    """The TIMEX3 elements inside TEXT with character offsets into `plain_text(document)`."""
    match = _TEXT.search(document)
    body = match.group(2) if match else document
    found: list[GoldTimex] = []
    plain_length = 0
    position = 0
    for timex in _GOLD_TIMEX.finditer(body):
        plain_length += len(unescape(_TAG.sub("", body[position : timex.start()])))
        inner = unescape(_TAG.sub("", timex.group(2)))
        attributes = dict(_ATTRIBUTE.findall(timex.group(1)))
        found.append(
            GoldTimex(
                plain_length,
                plain_length + len(inner),
                attributes.get("value", ""),
                attributes.get("type", ""),
            )
        )
        plain_length += len(inner)
        position = timex.end()
    return found


_COUNTS = (
    "gold",
    "predicted",
    "strict",
    "relaxed",
    "strict_found",
    "relaxed_found",
    "value",
    "type",
)


def evaluate_tml(gold_doc: str) -> dict[str, float | int]:
    """Compare our TIMEX3s with the gold ones of one .tml document, as TempEval-3 does.

    Recall counts gold expressions overlapped by one of ours (relaxed) or matched exactly
    (strict); precision counts ours that overlap (or equal) a gold one. Value and type are
    compared on each relaxed match with the mention that overlaps the gold one most.
    Returns the counts (to sum over documents) plus this document's `summarize` scores.
    """
    gold = [g for g in gold_timexes(gold_doc) if g.end > g.start]
    predicted = timex3s(plain_text(gold_doc), document_creation_time(gold_doc))
    counts = dict.fromkeys(_COUNTS, 0)
    counts["gold"], counts["predicted"] = len(gold), len(predicted)
    for item in gold:
        overlapping = [m for m in predicted if m.start < item.end and item.start < m.end]
        if not overlapping:
            continue
        best = max(overlapping, key=lambda m: min(m.end, item.end) - max(m.start, item.start))
        counts["relaxed"] += 1
        counts["strict"] += any(m.start == item.start and m.end == item.end for m in overlapping)
        counts["value"] += best.value == item.value
        counts["type"] += best.type == item.type
    for mention in predicted:
        hits = [g for g in gold if g.start < mention.end and mention.start < g.end]
        counts["relaxed_found"] += bool(hits)
        counts["strict_found"] += any(
            g.start == mention.start and g.end == mention.end for g in hits
        )
    result: dict[str, float | int] = dict(counts)
    result.update(summarize([counts]))
    return result


def summarize(results: list[dict[str, float | int]]) -> dict[str, float]:
    """Micro-averaged TempEval-3 scores over several `evaluate_tml` results.

    Strict and relaxed span precision/recall/F1; value and type F1 are the attribute's
    accuracy on relaxed matches times the relaxed F1 (the TE3 toolkit's definition).
    """
    totals = {k: sum(int(r[k]) for r in results) for k in _COUNTS}
    summary: dict[str, float] = {k: float(v) for k, v in totals.items()}
    for name in ("strict", "relaxed"):
        precision = totals[f"{name}_found"] / totals["predicted"] if totals["predicted"] else 0.0
        recall = totals[name] / totals["gold"] if totals["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        summary.update({f"{name}_precision": precision, f"{name}_recall": recall, f"{name}_f1": f1})
    for name in ("value", "type"):
        accuracy = totals[name] / totals["relaxed"] if totals["relaxed"] else 0.0
        summary[f"{name}_accuracy"] = accuracy
        summary[f"{name}_precision"] = accuracy * summary["relaxed_precision"]
        summary[f"{name}_recall"] = accuracy * summary["relaxed_recall"]
        summary[f"{name}_f1"] = accuracy * summary["relaxed_f1"]
    return summary
