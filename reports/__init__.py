"""The trend report: self-contained HTML, Markdown, PNG + SVG + CSV per chart, citations."""
