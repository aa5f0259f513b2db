"""The base layer every package imports and which imports nothing of the project.

errors (one `CensusError` root), progress, git info, paths, framework ids/labels/colours.
"""
