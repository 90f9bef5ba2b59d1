"""essaimage: turn an innovation that has proven itself into transfer kits for other territories."""

__version__ = "0.1.0"
