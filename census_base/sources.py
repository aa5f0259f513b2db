"""The registry of sources: one row per collector module, read by the CLI, the report's
coverage section and the snapshot recipe (no discovery scan, no parsing of source files).

A row names a source its loads register (``sources.source``), the module under
``collectors/`` that declares it (``SOURCE_INFO``, ``INGESTERS``, ``COLLECTORS``) and the
names of its ``census ingest`` / ``census collect`` commands. Plain data, importing nothing, so
reading it costs nothing; ``tests/test_sources_registry.py`` checks it against the modules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceEntry:
    source: str  # the source name its loads register
    module: str  # collectors.<module>
    ingest: tuple[str, ...] = ()  # `census ingest NAME`
    collect: tuple[str, ...] = ()  # `census collect NAME`

    def commands(self) -> list[str]:
        """The commands that load this source, ingests first."""
        return [f"census ingest {n}" for n in self.ingest] + [
            f"census collect {n}" for n in self.collect
        ]


SOURCES: tuple[SourceEntry, ...] = (
    SourceEntry("arxiv", "collectors.arxiv", collect=("arxiv",)),
    SourceEntry("benchmarks", "collectors.benchmarks", ingest=("benchmarks",)),
    SourceEntry("bigquery_pypi", "collectors.bigquery_pypi", collect=("bigquery-pypi",)),
    SourceEntry("clickhouse_pypi", "collectors.clickhouse_pypi", collect=("clickhouse-pypi",)),
    SourceEntry("conda", "collectors.conda", ingest=("conda",), collect=("conda",)),
    SourceEntry(
        "github_dependents", "collectors.github_dependents", collect=("github-dependents",)
    ),
    SourceEntry("github_ranking", "collectors.github_ranking", ingest=("github-ranking",)),
    SourceEntry("github_repos", "collectors.github_repos", collect=("github-repos",)),
    SourceEntry("he_conferences", "collectors.he_conferences", ingest=("he-conferences",)),
    SourceEntry("hf_hub", "collectors.hf_hub", collect=("hf-hub",)),
    SourceEntry("kaggle_survey", "collectors.kaggle_survey", ingest=("kaggle-survey",)),
    SourceEntry("npm", "collectors.npm", collect=("npm",)),
    SourceEntry("openalex", "collectors.openalex", collect=("openalex",)),
    SourceEntry(
        "paper_fulltext",
        "collectors.paper_fulltext",
        ingest=("paper-fulltext",),
        collect=("paper-fulltext",),
    ),
    SourceEntry("papers_with_code", "collectors.papers_with_code", ingest=("papers-with-code",)),
    SourceEntry("published_figures", "collectors.published_figures", ingest=("published-figures",)),
    SourceEntry("pypistats", "collectors.pypistats", collect=("pypistats",)),
    SourceEntry(
        "stackoverflow_survey", "collectors.stackoverflow_survey", ingest=("stackoverflow-survey",)
    ),
    # Two sources in one module: the archive (ingest) and the Stack Exchange API (collect,
    # registered as stackexchange_api); the coverage section lists it by the archive.
    SourceEntry(
        "stackoverflow_tag_trends",
        "collectors.stackoverflow_tags",
        ingest=("stackoverflow-tags",),
        collect=("stackoverflow-tags",),
    ),
    SourceEntry("top_pypi", "collectors.top_pypi", ingest=("top-pypi",)),
    # The same upstream lists, read again for the deployment and ecosystem packages.
    SourceEntry("top_pypi", "collectors.top_pypi_ecosystem", ingest=("top-pypi-ecosystem",)),
    # Two later Stack Overflow archives in one module (one row per source).
    SourceEntry(
        "stackoverflow_trends_nschloe",
        "collectors.stackoverflow_archives",
        ingest=("stackoverflow-nschloe",),
    ),
    SourceEntry(
        "stackoverflow_sede", "collectors.stackoverflow_archives", ingest=("stackoverflow-sede",)
    ),
    SourceEntry("hn_who_is_hiring", "collectors.hn_hiring", ingest=("hn-hiring",)),
    SourceEntry("best_of_ml_python", "collectors.best_of_ml", ingest=("best-of-ml",)),
)


def by_source() -> dict[str, list[SourceEntry]]:
    """Rows per source name (a source may be loaded by more than one module)."""
    rows: dict[str, list[SourceEntry]] = {}
    for entry in SOURCES:
        rows.setdefault(entry.source, []).append(entry)
    return rows


def modules() -> list[str]:
    """The collector modules, each once, in table order."""
    return list(dict.fromkeys(entry.module for entry in SOURCES))
