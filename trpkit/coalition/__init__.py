"""Statistics and anonymisation for coalition sharing (no database sessions, no Textual)."""
