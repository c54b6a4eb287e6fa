"""Territories, their members and roles."""
