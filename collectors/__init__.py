"""Collectors: fetch raw responses (network), parse them (pure), upsert rows into the warehouse.

Every source module follows the same shape: ``fetch_*`` returns :class:`collectors.raw.RawResponse`
objects saved under ``data/raw/<source>/<date>/``; ``parse_*`` turns raw bytes into rows;
``collect``/``ingest`` joins the two inside one warehouse load.
"""
