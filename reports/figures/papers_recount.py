"""Papers: the recount of He's conference paper lists beside the published counts (text)."""

from __future__ import annotations

import duckdb
import pandas as pd

from reports.figure import Content, TextBlock, join, paragraphs, table

ARTICLE_VERSION = "2019-10-10"  # the data.csv published with The Gradient article
VISION_AND_ML = ("CVPR", "ICCV", "ECCV", "ICML", "ICLR", "NeurIPS")


def comparison_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Recount next to the latest and the article's published versions, per conference-year."""
    frame = con.execute("SELECT * FROM paper_recount_comparison").df()
    if frame.empty:
        return frame
    frame["version"] = pd.to_datetime(frame["version"])
    latest = frame["version"].max()
    keys = ["venue", "year"]
    base = frame.sort_values("version").groupby(keys, as_index=False).last()
    recount_cols = [
        "any_torch",
        "any_tensorflow",
        "rule_torch",
        "rule_tensorflow",
        "rule_both",
        "rule_excluded",
        "status",
    ]
    out = base[[*keys, "total_papers", *recount_cols]]
    for label, version in (("latest", latest), ("article", pd.Timestamp(ARTICLE_VERSION))):
        published = frame[frame["version"] == version][
            [*keys, "published_torch", "published_tensorflow"]
        ].rename(columns={"published_torch": f"{label}_pt", "published_tensorflow": f"{label}_tf"})
        out = out.merge(published, on=keys, how="left")
    columns = {
        "total_papers": "papers",
        "any_torch": "any_pt",
        "any_tensorflow": "any_tf",
        "rule_torch": "rule_pt",
        "rule_tensorflow": "rule_tf",
        "rule_both": "both",
        "rule_excluded": "excluded",
    }
    order = [
        "venue",
        "year",
        "papers",
        "latest_pt",
        "latest_tf",
        "article_pt",
        "article_tf",
        "any_pt",
        "any_tf",
        "rule_pt",
        "rule_tf",
        "both",
        "excluded",
        "status",
    ]
    return out.rename(columns=columns)[order].sort_values(keys).reset_index(drop=True)


def _comparison(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = comparison_frame(con)
    if frame.empty:
        return None
    latest = con.execute("SELECT max(version) FROM paper_recount_comparison").fetchone()
    article = frame.dropna(subset=["article_pt", "rule_pt"])
    vision_ml = article[article["venue"].isin(VISION_AND_ML) & (article["status"] == "recounted")]
    vision_ml = vision_ml[~((vision_ml["venue"] == "ICML") & (vision_ml["year"] == 2019))]
    gap = vision_ml[["rule_pt", "rule_tf"]].to_numpy(dtype=float) - vision_ml[
        ["article_pt", "article_tf"]
    ].to_numpy(dtype=float)
    agreement = (
        f"For the {len(vision_ml)} vision and general-ML conference-years with flags (ICML 2019 "
        f"aside) the rule lands within {abs(gap).max():.0f} papers of the article's version "
        "per framework. "
        if len(vision_ml)
        else ""
    )
    intro = paragraphs(
        "Recount of Horace He's per-conference paper lists from their keyword flags, next to "
        f"two published versions of data.csv: the latest ({latest[0] if latest else '?'}) and "
        f"the one published with the article ({ARTICLE_VERSION}). any = every paper flagged "
        "for the framework; rule = the article's rule (papers flagged google.com or fb.com "
        "and papers naming both frameworks left out; both and excluded count those). "
        + agreement
        + "The 2021-02 version re-counted older years with a changed method that the flags "
        "do not reflect, so the latest counts differ more. NLP recounts run low: the article "
        "also counted allennlp and opennmt-py as PyTorch, and the flags say only 'opennmt'. "
        "ICML 2019's list flags only pt/tf (no affiliations). Lists with empty flags upstream "
        "cannot be recounted."
    )
    return join(
        intro,
        table(
            frame.astype(object).where(frame.notna(), ""),
            "Recount vs published counts per conference-year",
        ),
    )


BLOCKS = [
    TextBlock(
        "papers-recount-comparison", "methodology", 40, _comparison, sources=("he_conferences",)
    ),
]
