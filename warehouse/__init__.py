"""The DuckDB warehouse: numbered migrations, versioned fact tables with provenance, SQL views."""
