"""Pure rules: no database, no Textual, no Word. Everything here is plain Python and data."""
