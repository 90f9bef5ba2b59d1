"""The version of essaimage, which kits, reports and the site name; the bottom of the layers, so
that any layer may say it without importing the package's public names."""

__version__ = "0.1.0"
