"""Votes: supports and majority judgment."""
