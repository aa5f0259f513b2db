"""Cut the report's data at a date: ``census report --as-of DATE``.

Two different cut-offs exist and a report states which it used:

- the *data date* (``--as-of``): a period is shown only when it ended on or before the date
  (a month by its last day, a year by Dec 31, a day by itself), so the report shows what the
  data could say on that date; set as the DuckDB variable ``census_data_as_of``;
- the *load date* (``--loads-before``): loads finished after the date are ignored
  (``census_as_of``, applied by every ``cur_*`` view; see warehouse/db.py).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

DATA_AS_OF_VARIABLE = "census_data_as_of"
# Period-like columns a figure's data may have, in the order they are looked for.
PERIOD_COLUMNS = ("month", "date", "week", "year", "period", "window_end_date", "event_date")


def set_data_as_of(con: duckdb.DuckDBPyConnection, as_of: date | None) -> None:
    """Leave out periods ending after ``as_of`` (None: keep every period)."""
    if as_of is None:
        con.execute(f"RESET VARIABLE {DATA_AS_OF_VARIABLE}")
    else:
        con.execute(f"SET VARIABLE {DATA_AS_OF_VARIABLE} = CAST(? AS DATE)", [as_of])


def data_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The data cut-off set on ``con``, None when unset."""
    row = con.execute(f"SELECT getvariable('{DATA_AS_OF_VARIABLE}')::DATE").fetchone()
    return row[0] if row and row[0] is not None else None


def _ends(values: pd.Series, column: str, granularity: pd.Series | None) -> pd.Series:
    """The last day of each period in ``values`` (a period-like column)."""
    if column == "year" or pd.api.types.is_integer_dtype(values):
        years = pd.to_numeric(values, errors="coerce")
        return pd.to_datetime(years.astype("Int64").astype(str) + "-12-31", errors="coerce")
    starts = pd.to_datetime(values, errors="coerce")
    if starts.dt.tz is not None:
        starts = starts.dt.tz_localize(None)
    if column == "month":
        return starts + pd.offsets.MonthEnd(0)
    if column == "week":
        return starts + pd.Timedelta(days=6)
    if column == "period" and granularity is not None:
        yearly = granularity.astype(str).eq("year").to_numpy()
        return starts.where(~yearly, starts + pd.offsets.YearEnd(0)).where(
            yearly, starts + pd.offsets.MonthEnd(0)
        )
    return starts


def cut_frame(frame: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """The rows of ``frame`` whose period ended on or before ``as_of`` (all when None).

    The first period-like column (:data:`PERIOD_COLUMNS`) decides; a frame without one is
    returned as it is. Rows without a period are kept.
    """
    if as_of is None or frame.empty:
        return frame
    for column in PERIOD_COLUMNS:
        if column in frame.columns:
            granularity = frame["granularity"] if "granularity" in frame.columns else None
            ends = _ends(frame[column], column, granularity)
            keep = ends.isna() | (ends <= pd.Timestamp(as_of))
            return frame[keep.to_numpy()].reset_index(drop=True)
    return frame


def kept_sql(column: str) -> str:
    """A SQL condition, true for the rows :func:`cut_frame` keeps, for a warehouse table whose
    period is ``column``: a ``year`` by Dec 31, a ``month`` by its last day, any other date by
    itself (no granularity column there); rows without a period are kept."""
    if column == "year":
        end = "make_date(year::INTEGER, 12, 31)"
    elif column == "month":
        end = 'last_day("month")'
    else:
        end = f'"{column}"'
    return (
        f"(getvariable('{DATA_AS_OF_VARIABLE}') IS NULL OR \"{column}\" IS NULL "
        f"OR {end} <= getvariable('{DATA_AS_OF_VARIABLE}')::DATE)"
    )


def describe(data_as_of_: date | None, loads_before: date | None) -> str:
    """The sentence a report prints about its cut-off."""
    if data_as_of_ is not None:
        text = f"Data as of {data_as_of_}: periods ending after that date are left out"
    else:
        text = "Data as loaded: every period in the warehouse is shown"
    if loads_before is not None:
        text += f"; only loads finished by {loads_before} are used"
    return text + "."
