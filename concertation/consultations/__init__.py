"""Consultations: their phases, themes and resources."""
