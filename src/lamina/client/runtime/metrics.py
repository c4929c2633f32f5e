"""`client.get_metrics()`: Prisma's metrics (names, descriptions, histogram buckets) from Lamina's
own measurements, in prisma-client-py's `Metrics` shape or Prometheus' text format.

Lamina has no query engine: every SQL statement the client runs is timed where the driver runs
it (`instrument`), so `prisma_client_queries_total` and `prisma_datasource_queries_total` both
count statements (an operation that needs several statements, e.g. a create with a nested
create, counts several), and the duration histograms hold each statement's time.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left
from typing import Any, Callable, Dict, Generic, List, NamedTuple, TypeVar

from pydantic import BaseModel

_T = TypeVar("_T")

BUCKETS = [0.0, 1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0, 5000.0, 50000.0]  # ms, Prisma's bounds

_COUNTERS = {
    "prisma_client_queries_total": "Total number of Prisma Client queries executed",
    "prisma_datasource_queries_total": "Total number of Datasource Queries executed",
}
_GAUGES = {
    "prisma_client_queries_active": "Number of currently active Prisma Client queries",
    "prisma_pool_connections_open": "Number of currently open Pool Connections",
}
_HISTOGRAMS = {
    "prisma_client_queries_duration_histogram_ms": "Histogram of the duration of all executed Prisma Client queries in ms",
    "prisma_datasource_queries_duration_histogram_ms": "Histogram of the duration of all executed Datasource Queries in ms",
}


class HistogramBucket(NamedTuple):
    max_value: float
    total_count: int


class MetricHistogram(BaseModel):
    sum: float
    count: int
    buckets: List[HistogramBucket]


class Metric(BaseModel, Generic[_T]):
    key: str
    value: _T
    labels: Dict[str, str]
    description: str


class Metrics(BaseModel):
    counters: List[Metric[int]]
    gauges: List[Metric[float]]
    histograms: List[Metric[MetricHistogram]]


class Recorder:
    """A client's measurements (shared with its transactions' clients)."""

    __slots__ = ("count", "active", "total_ms", "bucket_counts", "open_connections")

    def __init__(self) -> None:
        self.count = 0
        self.active = 0
        self.total_ms = 0.0
        self.bucket_counts = [0] * (len(BUCKETS) + 1)  # the last one: above the highest bound
        self.open_connections: Callable[[], int] = lambda: 0  # the pool's count, set when the client connects

    def add(self, ms: float) -> None:
        self.count += 1
        self.total_ms += ms
        self.bucket_counts[bisect_left(BUCKETS, ms)] += 1

    def snapshot(self, global_labels: dict[str, str] | None) -> Metrics:
        labels = dict(global_labels or {})
        cumulative, running = [], 0
        for bound, n in zip(BUCKETS, self.bucket_counts):
            running += n
            cumulative.append(HistogramBucket(bound, running))
        hist = MetricHistogram(sum=self.total_ms, count=self.count, buckets=cumulative)
        return Metrics(
            counters=[Metric[int](key=k, value=self.count, labels=labels, description=d) for k, d in _COUNTERS.items()],
            gauges=[Metric[float](key=k, value=float(self.active if "active" in k else self.open_connections()), labels=labels,
                                  description=d) for k, d in _GAUGES.items()],
            histograms=[Metric[MetricHistogram](key=k, value=hist, labels=labels, description=d)
                        for k, d in _HISTOGRAMS.items()],
        )


def prometheus(metrics: Metrics) -> str:
    """The Prometheus text exposition of `metrics`."""

    def fmt_labels(labels: dict[str, str], extra: str = "") -> str:
        parts = [f'{k}="{v}"' for k, v in labels.items()] + ([extra] if extra else [])
        return "{" + ",".join(parts) + "}" if parts else ""

    out = []
    for kind, items in (("counter", metrics.counters), ("gauge", metrics.gauges)):
        for m in items:
            out += [f"# HELP {m.key} {m.description}", f"# TYPE {m.key} {kind}", f"{m.key}{fmt_labels(m.labels)} {m.value}", ""]
    for h in metrics.histograms:
        out += [f"# HELP {h.key} {h.description}", f"# TYPE {h.key} histogram"]
        for b in h.value.buckets:
            le = 'le="%g"' % b.max_value
            out.append(f"{h.key}_bucket{fmt_labels(h.labels, le)} {b.total_count}")
        inf = 'le="+Inf"'
        out.append(f"{h.key}_bucket{fmt_labels(h.labels, inf)} {h.value.count}")
        out += [f"{h.key}_sum{fmt_labels(h.labels)} {h.value.sum}", f"{h.key}_count{fmt_labels(h.labels)} {h.value.count}", ""]
    return "\n".join(out)


def get_metrics(recorder: Recorder, format: str = "json", global_labels: dict[str, str] | None = None) -> Any:
    if format not in ("json", "prometheus"):
        raise ValueError(f"Unknown metrics format {format!r}; use 'json' or 'prometheus'")
    snap = recorder.snapshot(global_labels)
    return prometheus(snap) if format == "prometheus" else snap


def instrument(driver: Any, recorder: Recorder) -> None:
    """Time every statement a connection's driver runs (its statement methods, replaced on the instance)."""
    target = driver
    perf = time.perf_counter
    for name in ("execute", "query_one", "query_named"):
        method = getattr(target, name, None)
        if method is None:
            continue
        if asyncio.iscoroutinefunction(method):
            async def timed_async(*args: Any, _m: Any = method) -> Any:
                recorder.active += 1
                start = perf()
                try:
                    return await _m(*args)
                finally:
                    recorder.active -= 1
                    recorder.add((perf() - start) * 1000.0)

            setattr(target, name, timed_async)
        else:
            buckets = recorder.bucket_counts

            def timed(*args: Any, _m: Any = method) -> Any:  # Recorder.add written out: this is every query's path
                recorder.active += 1
                start = perf()
                try:
                    return _m(*args)
                finally:
                    recorder.active -= 1
                    ms = (perf() - start) * 1000.0
                    recorder.count += 1
                    recorder.total_ms += ms
                    buckets[bisect_left(BUCKETS, ms)] += 1

            setattr(target, name, timed)
