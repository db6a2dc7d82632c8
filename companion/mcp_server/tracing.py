"""No telemetry from the MCP SDK: its tracing stays a no-op whatever the environment says.

The official ``mcp`` SDK (2.x) wraps every message in an OpenTelemetry span through
``opentelemetry-api``. MusiaIA installs no OpenTelemetry SDK or exporter, so those spans are
never recorded nor sent; this makes it so even on a machine whose environment configures
OpenTelemetry for other software (``OTEL_PYTHON_TRACER_PROVIDER`` naming a provider — which, when
that provider is not installed here, would also stop the SDK from importing at all).

Call :func:`keep_tracing_off` before the first ``mcp`` import.
"""

from __future__ import annotations

_done = False


def keep_tracing_off() -> None:
    """Give OpenTelemetry's global tracer the API's no-op provider (once per process)."""
    global _done
    if _done:
        return
    from opentelemetry import trace

    trace.set_tracer_provider(trace.NoOpTracerProvider())
    _done = True
