"""The format: French scalars, enumerations and their labels, licences, the Pydantic models,
and their views (the JSON schema, the field reference). Imports `text`."""
