"""The application's screens: one per module."""
