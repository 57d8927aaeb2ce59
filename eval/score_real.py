#!/usr/bin/env python3
"""Score the extractor on the real-article set, tune and check halves side by side.

    python3 eval/score_real.py [--scorer ../shared/eval/score.py] [--verbose] [--half check]
                               [--movements] [--keep FOLDER]

The set's index (`eval/real/index.tsv`) and gold (`eval/real/gold/`) are committed; the
article texts are not (they are copyrighted) and live in `eval/real/text/<id>.txt`, made
again from stored copies of the pages as `eval/real/README.md` says. Each half is given to
the extractor as an archive would give it: a JSON Lines corpus with the publication dates
of the index, read by the same code as `timeline extract corpus.jsonl`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "eval" / "real"

HALVES = ("tune", "check")


def read_index() -> list[dict[str, str]]:
    with (REAL / "index.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def text_of(entry: dict[str, str]) -> str | None:
    """The stored text of one article, or None when it is missing or not the one indexed."""
    path = REAL / "text" / f"{entry['id']}.txt"
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == entry["sha256"] else None


def extract_half(entries: list[dict[str, str]], table: Path) -> None:
    """Write the event table of the entries as `timeline extract` makes it from one JSON
    Lines corpus holding them."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "real.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for entry in entries:
                record = {
                    "id": entry["id"],
                    "text": text_of(entry),
                    "published": entry["published"],
                    "url": entry["url"],
                    "title": entry["title"],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        command = [sys.executable, "-c", "from timeline.cli import entry; entry()", "extract"]
        done = subprocess.run(
            [*command, str(corpus), "-o", str(table)], cwd=ROOT, capture_output=True, text=True
        )
    if done.returncode != 0:
        raise SystemExit(f"score_real: extraction failed: {done.stderr.strip()}")


def load_scorer(path: Path) -> object:
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None or not path.exists():
        raise SystemExit(f"score_real: no scorer at {path} (give --scorer)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _paired(
    preds: list[dict], golds: list[dict], rank: Callable[[dict, dict], tuple | None]
) -> list[tuple[dict, dict]]:
    """Per article, predicted and gold rows paired greedily in the order `rank` gives
    (lowest first; None: never paired), each row used once."""
    links = []
    for article in sorted({g["article_id"] for g in golds}):
        p_rows = [p for p in preds if p["article_id"] == article]
        g_rows = [g for g in golds if g["article_id"] == article]
        pairs = sorted(
            (key, i, j)
            for i, p in enumerate(p_rows)
            for j, g in enumerate(g_rows)
            if (key := rank(p, g)) is not None
        )
        used_p, used_g = set(), set()
        for _, i, j in pairs:
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                links.append((p_rows[i], g_rows[j]))
    return links


def linked(scorer: object, preds: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
    """Predicted and gold rows paired as the scorer pairs them: per article, best agreement
    first, required gold rows before optional ones on a tie."""

    def rank(p: dict, g: dict) -> tuple | None:
        if not scorer.matches(p, g):
            return None
        return (-scorer.agreement(p, g), g.get("optional", "").strip() == "1")

    return _paired(preds, golds, rank)


def told_by(scorer: object, preds: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
    """Predicted and gold rows paired by what they quote: a gold row goes with a predicted
    row of its kind whose sentence holds the gold evidence (each part of it, when cut with
    "..."), the scorer's match and agreement breaking ties. This reads which movement a row
    tells even when its extracted fields are wrong, so it scores the merge alone."""

    def rank(p: dict, g: dict) -> tuple | None:
        if p["subject_kind"] != g["kind"] or not _quotes(p["evidence"], g["evidence"]):
            return None
        return (-scorer.matches(p, g), -scorer.agreement(p, g))

    return _paired(preds, golds, rank)


def _plain(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.lower().split())


def _quotes(sentence: str, evidence: str) -> bool:
    parts = [_plain(p) for p in evidence.replace("…", "...").split("...")]
    return bool(evidence.strip()) and all(p in _plain(sentence) for p in parts if p)


def gold_pairs(golds: list[dict], halves: dict[str, str]) -> dict[str, int]:
    """How many pairs of gold rows share a movement label, by half (pairs across: `cross`)."""
    totals = dict.fromkeys((*HALVES, "cross", "all"), 0)
    labelled = [g for g in golds if g.get("movement")]
    for n, g1 in enumerate(labelled):
        for g2 in labelled[n + 1 :]:
            if g1["movement"] == g2["movement"]:
                totals[_half(g1, g2, halves)] += 1
                totals["all"] += 1
    return totals


def _half(g1: dict, g2: dict, halves: dict[str, str]) -> str:
    first, second = halves[g1["article_id"]], halves[g2["article_id"]]
    return first if first == second else "cross"


def merge_scores(
    links: list[tuple[dict, dict]],
    halves: dict[str, str],
    golds: dict[str, int],
    *,
    verbose: bool = False,
) -> list[str]:
    """Pairwise precision and recall of the movement merge, over all, each half and the
    pairs across halves. A pair of linked rows is merged when it shares a movement_id, and
    should be when it shares a gold label. Recall is given twice: over every gold pair, and
    over the pairs whose both rows were extracted and linked (the merge's own recall)."""
    tallies = {name: [0, 0, 0] for name in golds}  # merged and same, merged only, same only
    for n, (p1, g1) in enumerate(links):
        for p2, g2 in links[n + 1 :]:
            merged = p1["movement_id"] == p2["movement_id"]
            same = bool(g1.get("movement")) and g1.get("movement") == g2.get("movement")
            for name in (_half(g1, g2, halves), "all"):
                tallies[name][0] += merged and same
                tallies[name][1] += merged and not same
                tallies[name][2] += same and not merged
            if verbose and merged != same:
                print(
                    f"  {'merged' if merged else 'apart'}: {g1['movement'] or '-'} / {g2['movement'] or '-'}"
                )
                for pred in (p1, p2):
                    print(f"    {_described(pred)}")
    lines = []
    for name, (tp, fp, fn) in tallies.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        matched = tp / (tp + fn) if tp + fn else 1.0
        overall = tp / golds[name] if golds[name] else 1.0
        lines.append(
            f"{name:5} gold_pairs={golds[name]} linked_pairs={tp + fn} merged={tp + fp} "
            f"P={precision:.3f} R={overall:.3f} R_linked={matched:.3f}"
        )
    return lines


def _described(row: dict) -> str:
    """One predicted row as the merge reads it: article, movement, mover and its keys."""
    mover = row["icao_type"] or row["entity"] or row["subject"]
    route = f"{row['origin'] or '?'} -> {row['destination'] or row['location'] or '?'}"
    return (
        f"{row['article_id']} {row['movement_id'].rsplit('-', 1)[-1]} {row['subject_kind']} "
        f"{row['event_type']} {mover!r} x{row['count'] or '?'} {route} "
        f"{row['start'] or '?'}..{row['end'] or '?'}: {row['evidence'][:90]!r}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared/eval/score.py")
    parser.add_argument("--half", choices=HALVES, action="append", help="default: both")
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--keep", type=Path, help="folder to keep each half's events.csv in")
    parser.add_argument(
        "--movements", action="store_true", help="also score the movement merge, pairwise"
    )
    args = parser.parse_args(argv)
    scorer = load_scorer(args.scorer)
    index = read_index()
    missing = [entry["id"] for entry in index if text_of(entry) is None]
    if missing:
        print(
            f"score_real: {len(missing)} of {len(index)} texts missing or changed "
            f"(first: {missing[0]}); re-collect them as eval/real/README.md says",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory() as folder:
        for half in args.half or HALVES:
            entries = [e for e in index if e["split"] == half and e["id"] not in missing]
            table = (args.keep or Path(folder)) / f"{half}.csv"
            extract_half(entries, table)
            gold = [
                row
                for entry in entries
                for row in scorer.read_rows(str(REAL / "gold" / f"{entry['id']}.gold.csv"))
            ]
            preds = scorer.read_rows(str(table))
            result = scorer.score(preds, gold)
            if args.verbose:
                for line in result["misses"] + result["spurious"]:
                    print(f"  {line}")
            fields = " ".join(f"{k}_acc={v}" for k, v in result["field_accuracy"].items())
            print(
                f"{half:5} articles={result['articles']} gold={result['gold_events']} "
                f"predicted={result['predicted']} matched={result['matched']} "
                f"P={result['precision']} R={result['recall']} F1={result['f1']} "
                f"date_acc={result['date_accuracy']} strict_F1={result['strict_f1']} "
                f"origin_acc={result['origin_accuracy']} {fields}"
            )

        if args.movements:  # stories told by several outlets cross the halves: score all at once
            entries = [e for e in index if e["id"] not in missing]
            table = (args.keep or Path(folder)) / "all.csv"
            extract_half(entries, table)
            gold = [
                row
                for entry in entries
                for row in scorer.read_rows(str(REAL / "gold" / f"{entry['id']}.gold.csv"))
            ]
            preds = scorer.read_rows(str(table))
            halves = {e["id"]: e["split"] for e in entries}
            pairs = gold_pairs(gold, halves)
            for title, links in (
                ("rows linked as the scorer links them", linked(scorer, preds, gold)),
                ("rows linked by the evidence they quote", told_by(scorer, preds, gold)),
            ):
                print(f"movement merge, {title}:")
                for line in merge_scores(links, halves, pairs, verbose=args.verbose):
                    print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
