"""The review screen's widgets: one per module."""
