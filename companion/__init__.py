"""MusiaIA companion: request text → requirements → arrangement → Live set."""

__version__ = "0.1.0"
