"""Run the pipeline over a corpus: in this process, on local cores, or on a Dask cluster.

Workers reduce articles to table rows (`pipeline.extract_source`); the parent takes
the results in input order and hands the rows to a `SortedTable`, which spills sorted
runs to disk past a bound, so memory stays flat however big the corpus, and the table
is the same for any number of workers or engine.
"""

from __future__ import annotations

import os
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TextIO

from tqdm import tqdm

from timeline.corpus import Source
from timeline.external_sort import SortedTable
from timeline.pipeline import Extracted, extract_source
from timeline.stop import worker_signals

TASK_ARTICLES = 16
"""Articles per task sent to a worker: enough to make inter-process traffic negligible."""
TASK_BYTES = 64_000
"""Bytes of article files per task: a task closes at TASK_ARTICLES files or at this size."""

NAMED_UNDATED = 5
"""Articles without a publication date kept by name; the rest are only counted."""

Outcomes = list[Extracted | str]


class EngineError(RuntimeError):
    """The chosen engine cannot run: Dask is not installed or the scheduler cannot be reached."""


@dataclass
class Batch:
    """A corpus's sorted event table, how many articles were read, and the failures.

    Only counts are kept per article, and the ids of the articles that gave rows (to keep
    ids unique), so a batch of millions of articles stays small; close it (or use it as a
    context manager) to remove the table's spilled runs.
    """

    table: SortedTable = field(default_factory=SortedTable)
    failures: list[str] = field(default_factory=list)
    articles: int = 0
    undated: int = 0
    undated_paths: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    renamed: int = 0

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.table.close()

    def add(self, outcomes: Outcomes) -> None:
        """Keep one task's failures, article counts and rows."""
        for outcome in outcomes:
            if isinstance(outcome, str):
                self.failures.append(outcome)
                continue
            self.articles += 1
            self.table.add(self._unique(outcome.rows))
            if not outcome.dated:
                self.undated += 1
                if len(self.undated_paths) < NAMED_UNDATED:
                    self.undated_paths.append(outcome.path)

    def _unique(self, rows: tuple[dict[str, object], ...]) -> tuple[dict[str, object], ...]:
        """The rows of one article, renamed `ID~2`, `ID~3`... when an earlier one had its id.

        Articles come in the order of their sources' real paths, so the same inputs give
        the same ids in any order. Only articles with rows matter: the others have no id
        in any output.
        """
        if not rows:
            return rows
        article_id = str(rows[0]["article_id"])
        unique, number = article_id, 1
        while unique in self.ids:
            number += 1
            unique = f"{article_id}~{number}"
        self.ids.add(unique)
        if unique == article_id:
            return rows
        self.renamed += 1
        return tuple(
            {
                **row,
                "article_id": unique,
                "event_id": unique + str(row["event_id"])[len(article_id) :],
            }
            for row in rows
        )


def default_jobs() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run(
    sources: Sequence[Source],
    *,
    published: date | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: TextIO | None = None,
    table: SortedTable | None = None,
) -> Batch:
    """Extract every source; `progress` is the stream to draw a progress bar on (None: none).

    `engine` "local" uses `jobs` processes (1: this process only); "dask" uses the Dask
    scheduler at `scheduler`, or a local Dask cluster of `jobs` worker processes.
    `table` receives the rows (default: a `SortedTable` with its default bounds).
    """
    tasks = _tasks(sources)
    work = partial(_run_task, published=published)
    workers = min(jobs, default_jobs(), len(tasks))
    if not tasks:
        results: Iterator[Outcomes] = iter(())
    elif engine == "dask":
        results = _on_dask(tasks, work, scheduler=scheduler, workers=max(1, workers))
    elif workers > 1:
        results = _on_pool(tasks, work, workers)
    else:
        results = map(work, tasks)
    batch = Batch(table or SortedTable())
    total = sum(source.count for source in sources)
    try:
        with tqdm(
            total=total, unit="article", file=progress, disable=progress is None, mininterval=0.5
        ) as bar:
            for task, outcomes in zip(tasks, results, strict=True):
                batch.add(outcomes)
                bar.update(sum(source.count for source in task))
    except BaseException:
        batch.table.close()
        raise
    finally:
        close = getattr(results, "close", None)
        if close:  # a generator: stop its workers (and cluster) now, not when collected
            close()
    return batch


def _tasks(sources: Sequence[Source]) -> list[list[Source]]:
    """Consecutive sources grouped into tasks of about TASK_ARTICLES articles or TASK_BYTES.

    A JSON Lines source (already about TASK_BYTES) is a task of its own.
    """
    tasks: list[list[Source]] = []
    articles = size = TASK_ARTICLES * TASK_BYTES
    for source in sources:
        if articles >= TASK_ARTICLES or size >= TASK_BYTES or source.line:
            tasks.append([])
            articles = size = 0
        tasks[-1].append(source)
        articles += source.count
        size += source.size
    return tasks


def _run_task(task: list[Source], *, published: date | None) -> Outcomes:
    return [outcome for source in task for outcome in extract_source(source, published=published)]


def _on_pool(tasks: list[list[Source]], work: partial[Outcomes], jobs: int) -> Iterator[Outcomes]:
    """Results in task order from a pool of processes, with a bounded number of tasks in flight.

    The pool uses the platform's default start method (fork on Linux before Python 3.14),
    and its workers are started here, before the progress bar starts a thread. Each
    worker loads the knowledge tables once, on its first article.
    """
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker_signals)
    window = 4 * jobs
    pending = deque(pool.submit(work, task) for task in tasks[:window])
    return _in_order(pool, pending, tasks[window:], work)


def _in_order(
    pool: ProcessPoolExecutor,
    pending: deque[Future[Outcomes]],
    rest: list[list[Source]],
    work: partial[Outcomes],
) -> Iterator[Outcomes]:
    try:
        for task in rest:
            done = pending.popleft().result()
            pending.append(pool.submit(work, task))
            yield done
        while pending:
            yield pending.popleft().result()
    except BaseException:  # stopped, interrupted or closed early: end the workers now
        processes = getattr(pool, "_processes", None) or {}  # pid → Process, while it runs
        for process in list(processes.values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def _on_dask(
    tasks: list[list[Source]], work: partial[Outcomes], *, scheduler: str | None, workers: int
) -> Iterator[Outcomes]:
    """Results in task order from a Dask bag of tasks, computed on a cluster.

    Without a scheduler address a LocalCluster of `workers` processes is started and
    closed afterwards, its scratch space in a temporary folder removed with it. Workers
    read the sources themselves, so on a real cluster the input paths must be visible to
    every worker (a shared file system).
    """
    try:
        import dask.bag
        import dask.config
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError(
            "the dask engine needs Dask: pip install 'flight-timeline[dask]'"
        ) from None
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler))
            except (OSError, TimeoutError) as error:
                raise EngineError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from None
        else:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="timeline-dask-"))
            stack.enter_context(dask.config.set({"temporary-directory": scratch}))
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                local_directory=scratch,
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        bag = dask.bag.from_sequence(tasks, npartitions=len(tasks)).map(work)
        futures = deque(client.compute(bag.to_delayed()))
        while futures:
            yield from futures.popleft().result()
