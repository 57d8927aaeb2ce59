"""Score the temporal tagger on TimeML (.tml) documents with the TempEval-3 measures.

Usage: PYTHONPATH=. python benchmarks/bench_timebank.py DIR... [--errors tune|check]
DIRs are searched for .tml files (e.g. the TempEval-3 training data, TimeBank 1.2 and
AQUAINT in TBAQ-cleaned); nothing of them is stored here. Each document's TEXT is tagged
with its DCT as reference. The documents are split, by a hash of the file name fixed before
any tuning, into a `tune` part (rules are developed on it) and a `check` part (a rule is kept
only if the check part does not get worse); both are printed, with the sum.
Measures, as the TE3 toolkit defines them: strict span (exact) and relaxed span (overlap)
precision/recall/F1; value and type F1 = their accuracy on relaxed matches x relaxed F1.
`--errors PART` also lists that part's misses, spurious mentions and wrong values.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from timeline.timeml import (
    document_creation_time,
    evaluate_tml,
    gold_timexes,
    plain_text,
    summarize,
    timex3s,
)


def part_of(path: Path) -> str:
    """`tune` or `check`, from a hash of the document's file name (stable across copies)."""
    digest = hashlib.sha256(path.name.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def _line(name: str, summary: dict[str, float]) -> str:
    def prf(key: str) -> str:
        p, r, f = (100 * summary[f"{key}_{x}"] for x in ("precision", "recall", "f1"))
        return f"P {p:5.1f} R {r:5.1f} F1 {f:5.1f}"

    return (
        f"{name:6} docs {int(summary['docs']):3} gold {int(summary['gold']):4} "
        f"found {int(summary['predicted']):4} | strict {prf('strict')} | relaxed {prf('relaxed')}"
        f" | value F1 {100 * summary['value_f1']:5.1f} (acc {100 * summary['value_accuracy']:5.1f})"
        f" | type F1 {100 * summary['type_f1']:5.1f}"
    )


def _errors(document: str, name: str) -> None:
    """Print the gold/ours disagreements of one document, one per line."""
    text = plain_text(document)
    gold = [g for g in gold_timexes(document) if g.end > g.start]
    ours = timex3s(text, document_creation_time(document))
    for item in gold:
        hits = [m for m in ours if m.start < item.end and item.start < m.end]
        context = " ".join(text[max(0, item.start - 40) : item.end + 25].split())
        if not hits:
            print(
                f"MISS\t{name}\t{text[item.start : item.end]!r}\t{item.type}\t{item.value}\t{context}"
            )
            continue
        best = hits[0]
        if (best.start, best.end) != (item.start, item.end):
            print(f"SPAN\t{name}\tgold {text[item.start : item.end]!r}\tours {best.text!r}")
        if best.value != item.value or best.type != item.type:
            print(
                f"VALUE\t{name}\t{text[item.start : item.end]!r}\tgold {item.type} {item.value}"
                f"\tours {best.type} {best.value}\t{context}"
            )
    for mention in ours:
        if not any(g.start < mention.end and mention.start < g.end for g in gold):
            context = " ".join(text[max(0, mention.start - 40) : mention.end + 25].split())
            print(f"EXTRA\t{name}\t{mention.text!r}\t{mention.type}\t{mention.value}\t{context}")


def main(argv: list[str]) -> int:
    """Score every .tml file under the given folders; print one line per part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--errors", choices=["tune", "check"])
    args = parser.parse_args(argv)
    files = sorted(f for d in args.dirs for f in d.rglob("*.tml"))
    if not files:
        print("no .tml files under " + " ".join(map(str, args.dirs)), file=sys.stderr)
        return 1
    parts: dict[str, list[dict[str, float | int]]] = {"tune": [], "check": []}
    for path in files:
        document = path.read_text(encoding="utf-8")
        part = part_of(path)
        parts[part].append(evaluate_tml(document))
        if args.errors == part:
            _errors(document, path.stem)
    for name, results in (*parts.items(), ("all", parts["tune"] + parts["check"])):
        summary = summarize(results)
        summary["docs"] = len(results)
        print(_line(name, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
