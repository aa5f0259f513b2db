"""Assemble ``index.html`` (self-contained, offline) and ``report.md`` from rendered blocks."""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from datetime import date

from reports.figure import SECTIONS

STYLE = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
figure{margin:1.5em 0;padding:1em;border:1px solid #eee;border-radius:6px}
figcaption{font-size:.92em;color:#333;margin-top:.5em}
.citation{font-size:.8em;color:#666}.files a{font-size:.85em;margin-right:1em}
table{border-collapse:collapse;font-size:.85em;margin:1em 0}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
caption{text-align:left;font-style:italic;margin-bottom:.3em}
.missing{color:#8a5300}.chart-fallback img{max-width:100%}
nav a{margin-right:1em}
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


def _figure_html(block: RenderedBlock) -> str:
    svg64 = base64.b64encode(block.svg.encode()).decode()
    files = "".join(
        f'<a href="figures/{block.id}.{ext}">{ext.upper()}</a>' for ext in ("png", "svg", "csv")
    )
    return (
        f'<figure id="{block.id}"><h3>{html.escape(block.title)}</h3>'
        f'<div class="chart" data-chart-id="{block.id}"></div>'
        f'<noscript><div class="chart-fallback"><img alt="{html.escape(block.title)}" '
        f'src="data:image/svg+xml;base64,{svg64}"></div></noscript>'
        f"<figcaption>{html.escape(block.caption)}</figcaption>"
        f'<p class="citation">{html.escape(block.citation)}</p>'
        f'<p class="files">{files} <code>{block.id}</code></p></figure>'
    )


def build_html(blocks: list[RenderedBlock], as_of: date, bundle: str, header: str) -> str:
    specs = {b.id: b.spec for b in blocks if b.kind == "figure"}
    present = [(k, t) for k, t in SECTIONS if any(b.section == k for b in blocks)]
    nav = "".join(f'<a href="#section-{k}">{html.escape(t)}</a>' for k, t in present)
    body = []
    for key, heading in present:
        body.append(f'<section id="section-{key}"><h2>{html.escape(heading)}</h2>')
        for block in (b for b in blocks if b.section == key):
            if block.kind == "figure":
                body.append(_figure_html(block))
            else:
                body.append(f'<div class="{block.kind}" id="{block.id}">{block.html}</div>')
        body.append("</section>")
    specs_json = json.dumps(specs, default=str).replace("</", "<\\/")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>framework-census report {as_of}</title><style>{STYLE}</style></head><body>"
        f"<h1>PyTorch or TensorFlow? The measured evidence</h1>"
        f"<p>framework-census report as of <strong>{as_of}</strong>. {html.escape(header)}</p>"
        f"<nav>{nav}</nav>{''.join(body)}"
        f'<script id="census-specs" type="application/json">{specs_json}</script>'
        f"<script>{bundle}</script><script>{SCRIPT}</script></body></html>"
    )


def build_markdown(blocks: list[RenderedBlock], as_of: date, header: str) -> str:
    lines = [
        "# PyTorch or TensorFlow? The measured evidence",
        "",
        f"framework-census report as of **{as_of}**. {header}",
        "",
    ]
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
