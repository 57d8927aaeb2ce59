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
from timeline.temporal import find_times

_TEXT = re.compile(r"(<TEXT>)(.*?)(</TEXT>)", re.DOTALL)
_DCT_VALUE = re.compile(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_GOLD_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _tag(mention: TimeMention, number: int) -> str:
    mod = f' mod="{mention.mod}"' if mention.mod else ""
    return f'<TIMEX3 tid="t{number}" type="{mention.type}" value="{escape(mention.value)}"{mod}>'


def annotate(text: str, reference: date | None, first_tid: int = 1) -> str:
    """`text` (XML-escaped) with a `<TIMEX3>` element around every mention we find."""
    out: list[str] = []
    position = 0
    for number, mention in enumerate(find_times(text, reference), first_tid):
        out.append(escape(text[position : mention.start], quote=False))
        out.append(_tag(mention, number))
        out.append(escape(mention.text, quote=False) + "</TIMEX3>")
        position = mention.end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def document_creation_time(document: str) -> date | None:
    """The DCT of a .tml document (`<DCT><TIMEX3 ... value="YYYY-MM-DD"/></DCT>`)."""
    match = _DCT_VALUE.search(document)
    return date.fromisoformat(match.group(1)) if match else None


def plain_text(document: str) -> str:
    """The TEXT of a .tml document with every inline tag removed and entities decoded."""
    match = _TEXT.search(document)
    body = match.group(2) if match else document
    return unescape(_TAG.sub("", body))


def annotate_tml(document: str, reference: date | None = None) -> str:
    """The document with our TIMEX3 tags in TEXT (old ones stripped); DCT kept as it was.

    Relative dates resolve against `reference`, else against the document's own DCT.
    """
    match = _TEXT.search(document)
    if not match:
        raise ValueError("no <TEXT> element in the TimeML document")
    reference = reference or document_creation_time(document)
    tids = [int(t) for t in re.findall(r'tid="t(\d+)"', document[: match.start()])]
    body = annotate(plain_text(document), reference, first_tid=max(tids, default=0) + 1)
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


def _f1(correct: int, predicted: int, gold: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate_tml(gold_doc: str) -> dict[str, float | int]:
    """Compare our mentions with the gold TIMEX3s of one .tml document.

    Returns counts (`gold`, `predicted`, `strict`, `relaxed`, `value`) so several documents
    can be summed, plus per-document precision/recall/F1 for strict spans, relaxed spans
    (any overlap) and values (relaxed span and equal value), as TempEval-3 scores them.
    """
    gold = gold_timexes(gold_doc)
    predicted = find_times(plain_text(gold_doc), document_creation_time(gold_doc))
    strict = relaxed = value = 0
    for item in gold:
        overlapping = [m for m in predicted if m.start < item.end and item.start < m.end]
        if not overlapping:
            continue
        relaxed += 1
        strict += any(m.start == item.start and m.end == item.end for m in overlapping)
        value += any(m.value == item.value for m in overlapping)
    result: dict[str, float | int] = {
        "gold": len(gold),
        "predicted": len(predicted),
        "strict": strict,
        "relaxed": relaxed,
        "value": value,
    }
    for name, correct in (("strict", strict), ("relaxed", relaxed), ("value", value)):
        for key, number in _f1(correct, len(predicted), len(gold)).items():
            result[f"{name}_{key}"] = number
    return result


def summarize(results: list[dict[str, float | int]]) -> dict[str, float]:
    """Micro-averaged precision/recall/F1 over several `evaluate_tml` results."""
    totals = {
        k: sum(int(r[k]) for r in results)
        for k in ("gold", "predicted", "strict", "relaxed", "value")
    }
    summary: dict[str, float] = {k: float(v) for k, v in totals.items()}
    for name in ("strict", "relaxed", "value"):
        for key, number in _f1(totals[name], totals["predicted"], totals["gold"]).items():
            summary[f"{name}_{key}"] = number
    return summary
