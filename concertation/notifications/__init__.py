"""Follows and notifications."""
