"""Exports of a consultation: open data (CSV, JSON) and the synthesis as PDF and ODT."""
