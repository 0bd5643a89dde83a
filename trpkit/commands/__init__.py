"""CLI command groups, one module each, loaded lazily by trpkit.cli."""
