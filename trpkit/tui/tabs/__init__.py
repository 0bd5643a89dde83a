"""One module per case-file tab (see trpkit.tui.registry.CASE_TABS)."""
