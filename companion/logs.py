"""Structured JSON logs (one object per line) for the server.

Fields worth searching — user, project, style, bpm, generation time — are passed as ``extra``;
secrets never are: tokens, passwords and API keys are dropped here even if a caller slips.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pythonjsonlogger.json import JsonFormatter

SECRET_FIELDS = frozenset(
    {"password", "token", "access_token", "authorization", "api_key", "secret", "key_value"}
)


class _RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in SECRET_FIELDS & set(record.__dict__):
            setattr(record, name, "[redacted]")
        return True


def configure(level: str = "INFO", log_file: Path | None = None) -> None:
    formatter = JsonFormatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(_RedactSecrets())
        root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):  # its lines carry query strings (login tokens)
        logging.getLogger(noisy).disabled = True
