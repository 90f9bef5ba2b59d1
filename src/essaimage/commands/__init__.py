"""The cores of the commands (kit, plan, site, export, init): they return records or raise
`errors`; they never print. Imports `render`, `reports` and below."""
