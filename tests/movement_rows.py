"""Event rows written by hand for the movement-merge tests: what the extractor would read
from each row's `evidence` is given in its fields."""

import pandas as pd

from timeline import movements
from timeline.table import COLUMNS


def event_row(event_id: str, subject: str, evidence: str, **fields: object) -> dict:
    """One event row: an aircraft arriving at Kabul on 2024-03-04, unless `fields` say else."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        event_id=event_id,
        article_id="a",
        published="2024-03-06",
        event_type="arrival",
        subject_kind="aircraft",
        subject=subject,
        entity=subject,
        evidence=evidence,
        count=None,
        destination="Kabul",
        start="2024-03-04",
        end="2024-03-04",
        char_start=0,
        rule="land",
    )
    row.update(fields)
    row["char_end"] = int(row["char_start"]) + len(evidence)  # type: ignore[call-overload]
    return row


def movement_ids(*rows: dict) -> list[str]:
    """The movement id the merge gives each row, in row order."""
    events, _ = movements.assign(pd.DataFrame(rows))
    return events["movement_id"].tolist()
