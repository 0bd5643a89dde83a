"""What the app shell mounts, by dotted path, so each area adds its screens without editing the shell.

- CASE_TABS: tabs of the case file, in order: (tab id, title, "module:Class"). Each class is a
  trpkit.tui.tabs.base.CaseTab.
- DASHBOARD_PANELS: panels on the home screen: (panel id, "module:Class"), each a
  trpkit.tui.tabs.base.DashboardPanel.
- APP_SCREENS: full screens reachable from the dashboard and the command palette:
  (key, title, "module:Class"); the class is a textual Screen taking no arguments.
"""

from __future__ import annotations

CASE_TABS: list[tuple[str, str, str]] = [
    ("overview", "Person", "trpkit.tui.tabs.overview:OverviewTab"),
    ("consent", "Consent", "trpkit.tui.tabs.consent:ConsentTab"),
    ("narrative", "Narrative", "trpkit.tui.tabs.narrative:NarrativeTab"),
    ("timeline", "Timeline", "trpkit.tui.tabs.timeline:TimelineTab"),
    ("evidence", "Evidence", "trpkit.tui.tabs.evidence:EvidenceTab"),
    ("indicators", "Indicators", "trpkit.tui.tabs.indicators:IndicatorsTab"),
    ("applications", "Applications", "trpkit.tui.tabs.applications:ApplicationsTab"),
    ("draft", "Draft", "trpkit.tui.tabs.draft:DraftTab"),
]

DASHBOARD_PANELS: list[tuple[str, str]] = [
    ("deadlines", "trpkit.tui.panels.deadlines:DeadlinesPanel"),
]

APP_SCREENS: list[tuple[str, str, str]] = [
    ("d", "Deadlines", "trpkit.tui.screens.deadlines:DeadlinesScreen"),
    ("a", "Coalition analysis", "trpkit.tui.screens.coalition_analysis:AnalyticsScreen"),
    ("s", "Search narratives", "trpkit.tui.screens.narrative_search:NarrativeSearchScreen"),
    ("l", "Audit log", "trpkit.tui.screens.audit_log:AuditLogScreen"),
    ("e", "Coalition export and import", "trpkit.tui.screens.coalition:CoalitionScreen"),
    ("i", "Incidents", "trpkit.tui.screens.incidents:IncidentsScreen"),
    ("o", "Organisation settings", "trpkit.tui.screens.settings:SettingsScreen"),
]
