"""The official territories: the COG reference (codes, names, selections) and its search.
Imports `text`."""
