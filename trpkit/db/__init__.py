"""Persistence: SQLAlchemy models, the encrypted vault / PostgreSQL engine factory, and migrations."""
