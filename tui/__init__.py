"""The transflow review UI (Textual), a thin layer over the ``transflow`` library.

Empty until the review-UI issue; shipped already so that installing the
distribution lays out both packages from the start.
"""
