"""Word output: template discovery, the template linter, rendering, and the DTO → context builder.

This package receives plain data (DTOs, dicts) and never opens a database session.
"""
