"""Application services: what the server does, independent of HTTP."""
