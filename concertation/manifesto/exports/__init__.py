"""Exports of a published manifesto version: PDF and ODT (sources as notes) and JSON open data."""
