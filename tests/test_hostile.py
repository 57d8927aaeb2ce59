"""A careless or hostile user (issue #18): the cases of tests/cases/hostile.toml; and, in
real processes, stop signals that must end the workers and remove temporary files; worker
counts capped by the cores and the work."""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from timeline import batch as batch_module
from timeline.batch import default_jobs, run
from timeline.cli import main
from timeline.corpus import expand

CASES = Path(__file__).parent / "cases" / "hostile.toml"
STORY = "# Jets in {city}\n\nMarch 5, 2021\n\nTwo Russian Il-76 transport planes landed in {city} on Wednesday.\n"
_REPEAT = re.compile(r"\$\((.)\*(\d+)\)")
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LIMIT = 120
"""Seconds a case may run: only a guard against a hang (a case takes a few seconds)."""


def _load() -> list[dict[str, Any]]:
    return tomllib.loads(CASES.read_text(encoding="utf-8"))["case"]


def _text(value: str) -> str:
    return _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), value)


def _bytes(value: str) -> bytes:
    """A name or stdin of the table: repeats expanded, then \\n and \\xNN escapes decoded."""
    return codecs.escape_decode(_text(value).encode("utf-8"))[0]


def _path(folder: Path, name: str) -> Path:
    return folder / os.fsdecode(_bytes(name))


def _content(value: str) -> bytes:
    if value.startswith("story:"):
        return STORY.format(city=value.removeprefix("story:")).encode("utf-8")
    return _text(value).encode("utf-8")


def _setup(case: dict[str, Any], folder: Path) -> None:
    for name in case.get("dirs", []):
        _path(folder, name).mkdir(parents=True)
    for name, content in case.get("files", {}).items():
        path = _path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_content(content))
    for name in case.get("fifos", []):
        _path(folder, name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(_path(folder, name))
    for name, target in case.get("symlinks", {}).items():
        _path(folder, name).parent.mkdir(parents=True, exist_ok=True)
        _path(folder, name).symlink_to(target)


class Outcome(NamedTuple):
    """What a command gave: exit code, output bytes, error text, and any uncaught exception."""

    code: int
    stdout: bytes
    stderr: str
    exception: BaseException | None = None


def _run(args: list[str], folder: Path, stdin: bytes = b"", *, process: bool = False) -> Outcome:
    """The command run in this process (the knowledge tables load once for all cases), in a
    thread so that a hang fails the case instead of stopping the suite; or, for cases that
    could hang or fill the memory if they regressed, in a process of bounded memory."""
    words = [_text(arg).replace("{cwd}", str(folder)) for arg in args]
    if process:
        done = subprocess.run(
            [sys.executable, "-c", "from timeline.cli import entry; entry()", *words],
            input=stdin,
            capture_output=True,
            timeout=LIMIT,
            check=False,
            preexec_fn=_bounded_memory,
        )
        return Outcome(done.returncode, done.stdout, done.stderr.decode("utf-8"))
    results: list[Result] = []
    thread = threading.Thread(
        target=lambda: results.append(CliRunner().invoke(main, words, input=stdin)), daemon=True
    )
    thread.start()
    thread.join(LIMIT)
    assert results, f"still running after {LIMIT} s: {words}"
    result = results[0]
    uncaught = None if isinstance(result.exception, SystemExit) else result.exception
    return Outcome(result.exit_code, result.stdout_bytes, result.stderr, uncaught)


def _bounded_memory() -> None:
    """At most 4 GB of address space for a case's process (reading /dev/zero to the end
    would otherwise take the machine's memory)."""
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def _ids(csv: bytes) -> list[str]:
    table = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    return sorted(set(table["article_id"]))


@pytest.mark.parametrize("case", _load(), ids=lambda case: case["name"])
def test_hostile_case(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, temporary = tmp_path / "case", tmp_path / "tmp"
    folder.mkdir()
    temporary.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", None)
    _setup(case, folder)
    kept = {name: _path(folder, name).read_bytes() for name in case.get("unchanged", [])}
    for before in case.get("before", []):
        assert _run(before, folder).code == 0, before
    stdin = _bytes(case.get("stdin", "")).replace(b"{cwd}", os.fsencode(folder))
    done = _run(case["args"], folder, stdin, process=case.get("process", False))
    out, err = done.stdout.decode("utf-8"), done.stderr
    assert done.code == case["exit"], err
    assert done.exception is None, done.exception
    assert "Traceback" not in err
    assert not _RAW_CONTROL.search(err), err
    assert not _RAW_CONTROL.search(out.replace("\t", "").replace("\r", ""))
    if done.code == 1:
        [line] = err.splitlines()
        assert line.startswith("timeline: error: ")
    for fragment in case.get("stderr", []):
        assert _text(fragment) in err, (fragment, err)
    for fragment in case.get("stdout", []):
        assert _text(fragment) in out, (fragment, out)
    if "ids" in case:
        table = _path(folder, case["table"]).read_bytes() if "table" in case else done.stdout
        assert _ids(table) == case["ids"]
    assert {name: _path(folder, name).read_bytes() for name in kept} == kept
    for name in case.get("absent", []):
        assert not _path(folder, name).exists()
    assert list(temporary.iterdir()) == []
    assert [p.name for p in folder.rglob("*.tmp")] == []


def test_there_are_cases_for_every_part_of_the_issue() -> None:
    names = {case["name"] for case in _load()}
    assert len(names) == len(_load()) >= 30


# --- processes and temporary files -----------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.skipif(default_jobs() < 2, reason="needs two cores for two workers")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_stop_signal_ends_the_workers_and_removes_the_spilled_runs(
    tmp_path: Path, stop: signal.Signals
) -> None:
    folder, temporary = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    temporary.mkdir()
    cities = ["Caracas", "Minsk", "Havana", "Kabul", "Doha", "Riga", "Sofia", "Oslo"]
    for n in range(400):
        (folder / f"s{n:03d}.txt").write_text(STORY.format(city=cities[n % len(cities)]))
    spill_early = (
        "import timeline.external_sort as s; s.MEMORY_ROWS = s.FOLD_ROWS = 20; "
        "from timeline.cli import entry; entry()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", spill_early, "extract", str(folder), "-j", "2"],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + LIMIT
        while not (list(temporary.iterdir()) and len(_children(process.pid)) >= 2):
            assert process.poll() is None and time.monotonic() < deadline, "no spill or workers"
            time.sleep(0.1)
        workers = _children(process.pid)
        process.send_signal(stop)
        code = process.wait(timeout=LIMIT)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 128 + stop
    assert process.stderr is not None
    assert process.stderr.read().decode().strip() == f"timeline: stopped by {stop.name}"
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    assert list(temporary.iterdir()) == []


def _sources(folder: Path, files: int) -> list[Any]:
    folder.mkdir(exist_ok=True)
    for n in range(files):
        (folder / f"s{n:03d}.txt").write_text(STORY.format(city="Minsk"))
    return expand([str(folder)])[0]


def test_workers_are_capped_by_the_cores_and_by_the_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []

    class Pool:
        """Records the pool size; runs nothing (every task gives no outcome)."""

        def __init__(self, max_workers: int, **_options: object) -> None:
            started.append(max_workers)

        def submit(self, _work: object, _task: object) -> Any:
            from concurrent.futures import Future

            future: Future[list[object]] = Future()
            future.set_result([])
            return future

        def shutdown(self, **_options: object) -> None:
            pass

    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(batch_module, "default_jobs", lambda: 3)
    run(_sources(tmp_path / "many", 40 * batch_module.TASK_ARTICLES), jobs=10_000)
    run(_sources(tmp_path / "two", batch_module.TASK_ARTICLES + 1), jobs=64)
    assert started == [3, 2]


def test_dask_local_cluster_is_capped_and_leaves_no_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    import distributed

    sizes: list[int] = []
    real = distributed.LocalCluster

    def cluster(**options: Any) -> Any:
        sizes.append(options["n_workers"])
        return real(**options)

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(distributed, "LocalCluster", cluster)
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr("tempfile.tempdir", None)
    batch = run(_sources(tmp_path / "one", 1), jobs=24, engine="dask")
    assert (batch.articles, sizes) == (1, [1])
    assert list(temporary.iterdir()) == []


def test_ids_and_table_do_not_depend_on_the_order_of_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(STORY.format(city="Caracas"))
    (Path("b") / "c").mkdir(parents=True)
    Path("b/a.txt").write_text(STORY.format(city="Minsk"))
    Path("b/c/w.jsonl").write_text(
        "".join(
            json.dumps(
                {"id": ident, "published": "2021-03-05", "text": f"An Il-76 landed in {city}."}
            )
            + "\n"
            for ident, city in (("a", "Riga"), ("b/a", "Oslo"), ("a", "Doha"))
        )
    )
    inputs = ["a.txt", "b", "b/c/w.jsonl"]
    outputs = {
        CliRunner().invoke(main, ["extract", *order]).stdout for order in (inputs, inputs[::-1])
    }
    [table] = outputs
    rows = pd.read_csv(io.StringIO(table), dtype=str, keep_default_na=False)
    by_id = dict(zip(rows["article_id"], rows["destination"], strict=True))
    assert by_id == {"a": "Caracas", "b/a": "Minsk", "a~2": "Riga", "b/a~2": "Oslo", "a~3": "Doha"}
    assert sorted(rows["event_id"]) == ["a-001", "a~2-001", "a~3-001", "b/a-001", "b/a~2-001"]
