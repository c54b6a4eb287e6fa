"""The adopted version of a participatory text as printed documents (PDF, ODT)."""
