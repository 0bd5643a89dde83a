"""Widgets shared by screens and tabs (one widget per module)."""
