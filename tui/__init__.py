"""The transflow review application (Textual): ``transflow review``.

A thin layer over the core's review API (``transflow.review``,
``transflow.review.workbench``): the screens and widgets here show units and
turn keys into the API's operations; every rule — states, approval, saving
next to other writers, autosave, undo — lives in the core, which never imports
Textual. One screen or widget per module (``screens/``, ``widgets/``), the
look in ``app.tcss``, every key binding with an id (``keys.py``) so a user can
remap it in ``[tool.transflow.review.keys]``.
"""

from .app import ReviewApp

__all__ = ["ReviewApp"]
