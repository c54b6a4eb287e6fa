"""The open, read-only JSON API under /api/v1."""
