"""Pure analysis on DataFrames (shares, growth, crossovers, anomalies) and chart declarations."""
