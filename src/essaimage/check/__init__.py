"""Checking a repository: the code registry and its catalogue, the YAML loader with positions,
Pydantic errors as findings, checks in a file and between files, the rules, the repository
configuration and the pipeline that runs them. Imports `files`, `format`, `territories`, `text`."""
