"""Run the pipeline over a corpus: in this process, on local cores, or on a Dask cluster.

Workers reduce articles to table rows (`pipeline.extract_source`); the parent takes
the results in input order and hands the rows to a `SortedTable`, which spills sorted
runs to disk past a bound, so memory stays flat however big the corpus, and the table
is the same for any number of workers or engine.
"""

from __future__ import annotations

import os
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

TASK_ARTICLES = 16
"""Articles per task sent to a worker: enough to make inter-process traffic negligible."""
NAMED_UNDATED = 5
"""Articles without a publication date kept by name; the rest are only counted."""

Outcomes = list[Extracted | str]


class EngineError(RuntimeError):
    """The chosen engine cannot run: Dask is not installed or the scheduler cannot be reached."""


@dataclass
class Batch:
    """A corpus's sorted event table, how many articles were read, and the failures.

    Only counts are kept per article, so a batch of millions of articles stays small;
    close it (or use it as a context manager) to remove the table's spilled runs.
    """

    table: SortedTable = field(default_factory=SortedTable)
    failures: list[str] = field(default_factory=list)
    articles: int = 0
    undated: int = 0
    undated_paths: list[str] = field(default_factory=list)

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
            self.table.add(outcome.rows)
            if not outcome.dated:
                self.undated += 1
                if len(self.undated_paths) < NAMED_UNDATED:
                    self.undated_paths.append(outcome.path)


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
    if not tasks:
        results: Iterator[Outcomes] = iter(())
    elif engine == "dask":
        results = _on_dask(tasks, work, jobs, scheduler)
    elif jobs > 1 and len(tasks) > 1:
        results = _on_pool(tasks, work, jobs)
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
    return batch


def _tasks(sources: Sequence[Source]) -> list[list[Source]]:
    """Consecutive sources grouped into tasks of about TASK_ARTICLES articles."""
    tasks: list[list[Source]] = []
    size = TASK_ARTICLES
    for source in sources:
        if size >= TASK_ARTICLES:
            tasks.append([])
            size = 0
        tasks[-1].append(source)
        size += source.count
    return tasks


def _run_task(task: list[Source], *, published: date | None) -> Outcomes:
    return [outcome for source in task for outcome in extract_source(source, published=published)]


def _on_pool(tasks: list[list[Source]], work: partial[Outcomes], jobs: int) -> Iterator[Outcomes]:
    """Results in task order from a pool of processes, with a bounded number of tasks in flight.

    The pool uses the platform's default start method (fork on Linux before Python 3.14),
    and its workers are started here, before the progress bar starts a thread. Each
    worker loads the knowledge tables once, on its first article.
    """
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)))
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
    finally:
        pool.shutdown(cancel_futures=True)


def _on_dask(
    tasks: list[list[Source]], work: partial[Outcomes], jobs: int, scheduler: str | None
) -> Iterator[Outcomes]:
    """Results in task order from a Dask bag of tasks, computed on a cluster.

    Without a scheduler address a LocalCluster of `jobs` worker processes is started and
    closed afterwards. Workers read the sources themselves, so on a real cluster the
    input paths must be visible to every worker (a shared file system).
    """
    try:
        import dask.bag
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
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        bag = dask.bag.from_sequence(tasks, npartitions=len(tasks)).map(work)
        futures = deque(client.compute(bag.to_delayed()))
        while futures:
            yield from futures.popleft().result()
