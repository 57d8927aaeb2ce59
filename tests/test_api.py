"""The library as a notebook uses it: `timeline.extract` and typed frames; README examples run."""

import doctest
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline import api
from timeline.resources import seeds_dir
from timeline.table import filter_frame

ROOT = Path(__file__).resolve().parents[1]
SEED = next(seeds_dir().glob("*.txt"))


def test_a_text_gives_typed_rows() -> None:
    frame = timeline.extract(
        "Two C-17s landed at Ramstein on Friday, the air force said.", published="2023-05-10"
    )
    [row] = frame.to_dict("records")
    assert (row["icao_type"], row["destination"], row["count"]) == ("C17", "Ramstein", 2)
    assert row["start"] == row["end"] == pd.Timestamp("2023-05-05")
    assert row["published"] == pd.Timestamp("2023-05-10")
    assert row["article_id"] == "text"
    assert str(frame["count"].dtype) == "Int64"
    assert all(pd.api.types.is_datetime64_any_dtype(frame[c]) for c in api.DATE_COLUMNS)


def test_unbounded_dates_are_nat_and_missing_counts_na() -> None:
    frame = timeline.extract("An Antonov An-124 has been parked in Leipzig since March 2021.")
    [row] = frame.to_dict("records")
    assert row["start"] == pd.Timestamp("2021-03-01")
    assert pd.isna(row["end"]) and pd.isna(row["published"])


def test_a_list_mixes_paths_and_texts_and_numbers_the_texts() -> None:
    frame = timeline.extract(
        [SEED, "A Boeing 747 landed in Anchorage on Monday.", str(SEED.parent)],
        published=date(2019, 1, 26),
    )
    ids = frame["article_id"].tolist()
    assert ids.count(SEED.stem) == 24  # the seed's 12 rows, named by file and by folder
    assert ids.count("text-2") == 1
    assert frame.loc[frame["article_id"] == "text-2", "start"].item() == pd.Timestamp("2019-01-21")


def test_a_path_that_is_not_there_raises_instead_of_reading_its_name_as_text(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="no such file"):
        timeline.extract(str(tmp_path / "missing.txt"))


def test_a_bad_record_in_a_corpus_warns_and_the_rest_is_read(tmp_path: Path) -> None:
    corpus = tmp_path / "wire.jsonl"
    corpus.write_text(
        '{"text": "An Il-76 landed in Bamako on Monday.", "published": "2024-03-06"}\nnot json\n',
        encoding="utf-8",
    )
    with pytest.warns(api.ArticleWarning, match="wire.jsonl:2"):
        frame = timeline.extract(corpus)
    assert frame["destination"].tolist() == ["Bamako"]


def test_filter_frame_reads_typed_and_written_dates_alike() -> None:
    typed = timeline.extract(SEED)
    window = {"since": date(2018, 12, 13), "until": date(2018, 12, 31)}
    kept = filter_frame(typed, **window)
    # the December flights, the groups whose arrival has no earliest date (open start), and
    # the contingent nobody could say when arrived (no dates at all)
    assert sorted(kept["icao_type"]) == ["", "", "", "A124", "IL76", "IL76"]
    assert kept.loc[kept["icao_type"] == "", "start"].isna().all()
    as_text = typed.assign(
        **{c: typed[c].dt.strftime("%Y-%m-%d").fillna("") for c in api.DATE_COLUMNS}
    )
    assert filter_frame(as_text, **window)["event_id"].tolist() == kept["event_id"].tolist()


def test_filter_frame_refuses_an_unknown_type_as_the_command_line_does() -> None:
    with pytest.raises(ValueError, match="unknown aircraft type 'Zeppelin-99x'"):
        filter_frame(timeline.extract(SEED), aircraft=["Zeppelin-99x"])


def test_the_api_docstring_example_runs() -> None:
    assert doctest.testmod(api, raise_on_error=False).failed == 0


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", _section("Python API"), re.DOTALL)
    assert blocks
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)  # the example as a user pastes it


def test_ci_runs_the_readme_quick_start_verbatim_with_the_pip_a_venv_ships() -> None:
    commands = re.findall(r"```sh\n(.*?)```", _section("Quick start"), re.DOTALL)[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands.strip().splitlines():
        assert command in ci
    assert not any("pip" in line and ("--upgrade" in line or " -U " in line) for line in ci)


def test_the_installed_command_is_the_pipe_safe_entry_point() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'timeline = "timeline.cli:entry"' in pyproject
    done = subprocess.run(
        [sys.executable, "-c", "import timeline, sys; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"  # `import timeline` stays light for the command line
