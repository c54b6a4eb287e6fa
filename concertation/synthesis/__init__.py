"""Syntheses: drafting, publication with frozen figures, reading, exports."""
