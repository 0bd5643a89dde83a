"""Presenters: the words both faces say about a service's DTOs.

Pure functions from frozen DTOs (``trpkit.services``) to plain lines or table rows. The CLI prints them;
the TUI shows them (adding only colour). No click, no Textual, no database: a presenter never fetches.
"""
