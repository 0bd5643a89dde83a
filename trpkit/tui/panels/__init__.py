"""Dashboard panels (registered in trpkit.tui.registry.DASHBOARD_PANELS)."""
