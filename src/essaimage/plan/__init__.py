"""A scale-up plan computed from its targets' kits. Imports `kit` and below."""
