"""transflow: translation and localisation workflow."""

__version__ = "0.1.0"
