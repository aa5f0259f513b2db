"""Assemble ``index.html`` (self-contained, offline) and ``report.md`` from rendered blocks.

The page works on any screen: a viewport tag, single-view charts drawn at the width of their
box (Vega-Lite ``width: "container"``; composite charts scroll inside their box), tables that
scroll inside their box, each chart's title drawn once (the heading; the PNG/SVG keep theirs),
and every chart with an anchor and a "cite" snippet (``census cite ID``).
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reports.figure import SECTIONS

STYLE = """
*{box-sizing:border-box}
body{font-family:Liberation Sans,Arial,Helvetica,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45;overflow-wrap:anywhere}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
figure{margin:1.5em 0;padding:1em;border:1px solid #eee;border-radius:6px;min-width:0}
.chart{width:100%;overflow-x:auto}.chart.fit{min-height:200px}
h3 a{color:inherit;text-decoration:none}h3 a:hover{text-decoration:underline}
.cite summary{cursor:pointer;font-size:.85em;color:#555}
.cite pre{white-space:pre-wrap;font-size:.8em;background:#f7f7f7;padding:.5em}
#summary{background:#f5f8fb;border:1px solid #dde6ee;border-radius:6px;padding:.5em 1em}
figcaption{font-size:.92em;color:#333;margin-top:.5em}
.citation{font-size:.8em;color:#666}.files a{font-size:.85em;margin-right:1em}
table{border-collapse:collapse;font-size:.85em;margin:1em 0;display:block;max-width:100%;
overflow-x:auto}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
caption{text-align:left;font-style:italic;margin-bottom:.3em}
.missing{color:#8a5300}.chart-fallback img{max-width:100%}
nav{display:flex;flex-wrap:wrap;gap:.3em 1em}
@media (max-width:600px){body{margin:1em auto;padding:0 .5em}figure{padding:.4em;margin:1em 0}}
"""

SCRIPT = """
(function(){
  const specs = JSON.parse(document.getElementById('census-specs').textContent);
  const pending = [];
  for (const [id, spec] of Object.entries(specs)) {
    const el = document.querySelector('[data-chart-id="' + id + '"]');
    if (!el) { console.error('no container for chart ' + id); continue; }
    pending.push(vegaEmbed(el, spec, {actions: {export: true, source: false, compiled: false,
                                                 editor: false}, renderer: 'svg'})
      .then(function(){ el.setAttribute('data-rendered', 'true'); })
      .catch(function(err){ el.setAttribute('data-rendered', 'error');
                            console.error('chart ' + id + ': ' + err); }));
  }
  Promise.all(pending).then(function(){
    document.body.setAttribute('data-charts-rendered', String(pending.length)); });
})();
"""


@dataclass
class RenderedBlock:
    id: str
    section: str
    kind: str  # figure | text | missing
    title: str = ""
    caption: str = ""
    citation: str = ""
    markdown: str = ""
    html: str = ""
    spec: dict | None = None
    svg: str = ""


COMPOSITE = ("facet", "spec", "concat", "hconcat", "vconcat", "repeat")


NARROW = "containerSize()[0] < 600"  # a Vega expression: the chart's box is phone-sized
NARROW_LABEL_LIMIT = 110  # px of an axis or legend label on a phone (full length otherwise)


def _narrow_limits(node: object) -> None:
    """Make every ``labelLimit`` shrink on a phone-sized box (in place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "labelLimit" and isinstance(value, int | float):
                node[key] = {"expr": f"{NARROW} ? {min(value, NARROW_LABEL_LIMIT)} : {value}"}
            else:
                _narrow_limits(value)
    elif isinstance(node, list):
        for item in node:
            _narrow_limits(item)


def page_spec(spec: dict) -> dict:
    """The spec as embedded in the page: no title (the heading shows it), labels that shorten
    on a phone, and, for a single or layered view, the width of its box (composite views keep
    their width and scroll inside their box)."""
    # a JSON round trip copies the (JSON-only) spec several times faster than copy.deepcopy
    out = json.loads(json.dumps({k: v for k, v in spec.items() if k != "title"}))
    config = out.setdefault("config", {})
    for part, default in (("axis", 180), ("legend", 160)):
        config.setdefault(part, {}).setdefault("labelLimit", default)
    _narrow_limits(out)
    if fits(out):
        out["width"] = "container"
        out["autosize"] = {"type": "fit-x", "contains": "padding"}
        if "layer" in out:
            out["layer"] = [{k: v for k, v in la.items() if k != "width"} for la in out["layer"]]
    return out


def fits(spec: dict) -> bool:
    """Whether :func:`page_spec` fits ``spec`` to its box (a single or layered view)."""
    return not any(k in spec for k in COMPOSITE)


def _figure_html(block: RenderedBlock, markdown_citation: str) -> str:
    svg64 = base64.b64encode(block.svg.encode()).decode()
    files = "".join(
        f'<a href="figures/{block.id}.{ext}">{ext.upper()}</a>' for ext in ("png", "svg", "csv")
    )
    fit = " fit" if block.spec and fits(block.spec) else ""
    return (
        f'<figure id="{block.id}"><h3><a href="#{block.id}">{html.escape(block.title)}</a></h3>'
        f'<div class="chart{fit}" data-chart-id="{block.id}"></div>'
        f'<noscript><div class="chart-fallback"><img alt="{html.escape(block.title)}" '
        f'src="data:image/svg+xml;base64,{svg64}"></div></noscript>'
        f"<figcaption>{html.escape(block.caption)}</figcaption>"
        f'<p class="citation">{html.escape(block.citation)}</p>'
        f'<p class="files">{files} <code>{block.id}</code></p>'
        f'<details class="cite"><summary>Cite this chart</summary><pre>'
        f"{html.escape(markdown_citation)}</pre><p>Or run <code>census cite {block.id} "
        f"--format bibtex</code> (markdown, bibtex, csl-json).</p></details></figure>"
    )


def _cite_text(block: RenderedBlock) -> str:
    return f"{block.citation} Chart: {block.title} (id {block.id}, #{block.id})."


def _markdown_html(text: str) -> str:
    """The few Markdown constructs the summary and changes use: '- ' items and **bold**."""
    out, items = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("- "):
            items.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    return "".join(out)


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


Front = Sequence[tuple[str, str, str]]  # (id, heading, markdown) shown before the sections


def build_html(
    blocks: list[RenderedBlock], as_of: date, bundle: str, header: str, front: Front = ()
) -> str:
    specs = {b.id: page_spec(b.spec) for b in blocks if b.kind == "figure" and b.spec}
    present = [(k, t) for k, t in SECTIONS if any(b.section == k for b in blocks)]
    nav = "".join(f'<a href="#{k}">{html.escape(t)}</a>' for k, t, _ in front) + "".join(
        f'<a href="#section-{k}">{html.escape(t)}</a>' for k, t in present
    )
    body = [
        f'<section id="{key}"><h2>{html.escape(heading)}</h2>{_markdown_html(text)}</section>'
        for key, heading, text in front
    ]
    for key, heading in present:
        body.append(f'<section id="section-{key}"><h2>{html.escape(heading)}</h2>')
        for block in (b for b in blocks if b.section == key):
            if block.kind == "figure":
                body.append(_figure_html(block, _cite_text(block)))
            else:
                body.append(f'<div class="{block.kind}" id="{block.id}">{block.html}</div>')
        body.append("</section>")
    specs_json = json.dumps(specs, default=str).replace("</", "<\\/")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>framework-census report {as_of}</title><style>{STYLE}</style></head><body>"
        f"<h1>PyTorch or TensorFlow? The measured evidence</h1>"
        f"<p>framework-census report as of <strong>{as_of}</strong>. {html.escape(header)}</p>"
        f"<nav>{nav}</nav>{''.join(body)}"
        f'<script id="census-specs" type="application/json">{specs_json}</script>'
        f"<script>{bundle}</script><script>{SCRIPT}</script></body></html>"
    )


def build_markdown(blocks: list[RenderedBlock], as_of: date, header: str, front: Front = ()) -> str:
    lines = [
        "# PyTorch or TensorFlow? The measured evidence",
        "",
        f"framework-census report as of **{as_of}**. {header}",
        "",
    ]
    for _, heading, text in front:
        lines += [f"## {heading}", "", text.rstrip(), ""]
    for key, heading in SECTIONS:
        section = [b for b in blocks if b.section == key]
        if not section:
            continue
        lines += [f"## {heading}", ""]
        for block in section:
            if block.kind == "figure":
                lines += [
                    f"### {block.title}",
                    "",
                    f"![{block.title}](figures/{block.id}.png)",
                    "",
                    f"{block.caption}",
                    "",
                    f"*{block.citation}*",
                    "",
                    f"Data: [figures/{block.id}.csv](figures/{block.id}.csv) · "
                    f"SVG: [figures/{block.id}.svg](figures/{block.id}.svg) · "
                    f"id `{block.id}`",
                    "",
                ]
            else:
                lines += [block.markdown, ""]
    return "\n".join(lines)
