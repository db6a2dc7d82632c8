"""No telemetry from the MCP SDK: its tracing stays a no-op whatever the environment says.

The official ``mcp`` SDK (2.x) wraps every message in an OpenTelemetry span through
``opentelemetry-api``. MusiaIA installs no OpenTelemetry SDK or exporter, so those spans are
never recorded nor sent; this makes it so even on a machine whose environment configures
OpenTelemetry for other software (``OTEL_PYTHON_TRACER_PROVIDER`` naming a provider — which, when
that provider is not installed here, would also stop the SDK from importing at all, as would
``OTEL_PROPAGATORS`` naming a propagator that is not installed).

Call :func:`keep_tracing_off` before the first ``mcp`` import.
"""

from __future__ import annotations

import os

_done = False


def keep_tracing_off() -> None:
    """Give OpenTelemetry's global tracer the API's no-op provider (once per process)."""
    global _done
    if _done:
        return
    # The propagators are read from the environment at import: W3C's defaults instead (they only
    # copy a caller's trace ids between messages; nothing is recorded).
    configured = os.environ.pop("OTEL_PROPAGATORS", None)
    try:
        from opentelemetry import propagate, trace  # noqa: F401  (propagate: imported here)
    finally:
        if configured is not None:
            os.environ["OTEL_PROPAGATORS"] = configured
    trace.set_tracer_provider(trace.NoOpTracerProvider())
    _done = True
