"""What changed since the previous report: verdicts, shares, signals, data periods, breaks.

Every report stores its comparable *state* in ``provenance.json`` (key ``state``): each claim's
verdict, each signal's latest share and period, each figure's data period and the method breaks
flagged. :func:`compare` diffs two states; the report shows the result as a section and writes
``changes.md`` and ``changes.json``. The previous report is the latest dated folder in the
output root before this report's date, or the one given with ``--since DIR|DATE``
(reports/previous.py finds it).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analysis.headline import format_period
from analysis.verdicts import Verdict
from reports.cutoff import data_as_of

log = logging.getLogger(__name__)

SHARE_THRESHOLD = 0.02  # a share moved when it changed by more than 2 percentage points
BREAK_KINDS = (
    "method_break",
    "level_shift",
    "denominator_change",
    "version_change",
    "channel_change",
    "counter_reset",
)


def report_state(
    con: duckdb.DuckDBPyConnection,
    verdicts: list[Verdict],
    summary: pd.DataFrame,
    figure_periods: dict[str, str],
) -> dict:
    """The comparable state of a report (JSON-ready)."""
    signals = {
        str(row.signal): {
            "label": str(row.signal_label),
            "latest_period": format_period(row.latest_period, str(row.granularity)),
            "latest_share": round(float(row.latest_share), 4),
        }
        for row in summary.itertuples()
    }
    marks = ", ".join("?" for _ in BREAK_KINDS)
    cut = data_as_of(con)
    rows = con.execute(
        f"""SELECT DISTINCT source, subject, kind, period_start::VARCHAR FROM data_flags
            WHERE kind IN ({marks}) AND (CAST(? AS DATE) IS NULL OR period_start <= ?)
            ORDER BY ALL""",
        [*BREAK_KINDS, cut, cut],
    ).fetchall()
    return {
        "verdicts": {v.claim.id: v.verdict for v in verdicts},
        "signals": signals,
        "figures": figure_periods,
        "breaks": [f"{src} {subject} {kind} from {start}" for src, subject, kind, start in rows],
    }


@dataclass
class Changes:
    base: str  # the report compared with ('' when none)
    verdicts: list[str] = field(default_factory=list)
    shares: list[str] = field(default_factory=list)
    signals_added: list[str] = field(default_factory=list)
    signals_removed: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.verdicts,
                self.shares,
                self.signals_added,
                self.signals_removed,
                self.periods,
                self.breaks,
            )
        )

    def as_json(self) -> str:
        return json.dumps({**asdict(self), "threshold": SHARE_THRESHOLD}, indent=1) + "\n"

    def lines(self) -> list[str]:
        """Markdown lines (without a heading)."""
        if not self.base:
            return [
                "Nothing to compare with: no earlier report in this output folder "
                "(or none given with --since)."
            ]
        if self.empty:
            return [f"No change since the report {self.base}."]
        out = [f"Compared with the report {self.base}:", ""]
        for heading, items in (
            ("Verdicts changed", self.verdicts),
            (f"Shares moved by more than {SHARE_THRESHOLD * 100:g} pp", self.shares),
            ("Signals added", self.signals_added),
            ("Signals no longer present", self.signals_removed),
            ("New data periods", self.periods),
            ("Method breaks newly flagged", self.breaks),
        ):
            if items:
                out += [f"**{heading}** ({len(items)}):", *(f"- {i}" for i in items), ""]
        return out


def compare(old: dict, new: dict, base: str) -> Changes:
    """The changes from state ``old`` (the report ``base``) to state ``new``."""
    changes = Changes(base)
    old_v, new_v = old.get("verdicts", {}), new.get("verdicts", {})
    for claim in sorted(set(old_v) | set(new_v)):
        before, after = old_v.get(claim, "not tested"), new_v.get(claim, "not tested")
        if before != after:
            changes.verdicts.append(f"{claim}: {before} -> {after}")
    old_s, new_s = old.get("signals", {}), new.get("signals", {})
    changes.signals_added = [f"{new_s[s]['label']} ({s})" for s in sorted(set(new_s) - set(old_s))]
    changes.signals_removed = [
        f"{old_s[s]['label']} ({s})" for s in sorted(set(old_s) - set(new_s))
    ]
    for signal in sorted(set(old_s) & set(new_s)):
        a, b = old_s[signal], new_s[signal]
        if abs(b["latest_share"] - a["latest_share"]) > SHARE_THRESHOLD:
            changes.shares.append(
                f"{b['label']}: PyTorch {a['latest_share']:.0%} ({a['latest_period']}) -> "
                f"{b['latest_share']:.0%} ({b['latest_period']}), "
                f"{(b['latest_share'] - a['latest_share']) * 100:+.1f} pp"
            )
    old_f, new_f = old.get("figures", {}), new.get("figures", {})
    for fig in sorted(set(new_f)):
        if old_f.get(fig) != new_f[fig]:
            changes.periods.append(f"{fig}: {old_f.get(fig) or 'not shown'} -> {new_f[fig]}")
    known = set(old.get("breaks", []))
    changes.breaks = [b for b in new.get("breaks", []) if b not in known]
    return changes


def changes_since(folder: Path | None, state: dict) -> Changes:
    """Changes from the report in ``folder`` (None: nothing to compare) to ``state``."""
    if folder is None:
        return Changes("")
    provenance = json.loads((folder / "provenance.json").read_text())
    old = provenance.get("state")
    if old is None:
        log.warning("report %s stores no comparable state; nothing compared", folder)
        return Changes("")
    label = f"{folder.name} (data as of {provenance.get('as_of', '?')})"
    return compare(old, state, label)
