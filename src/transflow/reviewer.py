"""Who is signing: the reviewer's (or translator's) name, as approvals and PO headers record it.

An approval names a person, never a program ("transflow" is not a
translator). The name comes from, in this order: ``--reviewer`` on the command
line, the ``TRANSFLOW_REVIEWER`` environment variable, ``reviewer`` under
``[tool.transflow]`` (for a single-reviewer project), and ``git config
user.name`` (with ``user.email``), which every contributor to a git project
already has. Each may be "Name" or "Name <email>", the form gettext's
``Last-Translator`` header expects.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

from transflow.config import Project
from transflow.errors import InputError

__all__ = ["ENV_VAR", "OPTION_HELP", "Person", "find_reviewer", "require_reviewer"]

# What ``--reviewer`` says in every command that takes it.
OPTION_HELP = (
    "'Name <email>' (default: $TRANSFLOW_REVIEWER, [tool.transflow] reviewer, git config user.name)"
)

ENV_VAR = "TRANSFLOW_REVIEWER"
_NAME_EMAIL = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+)>\s*$")


@dataclass(frozen=True)
class Person:
    """A person's name and e-mail (if known), and where transflow found them."""

    name: str
    email: str | None = None
    source: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    @classmethod
    def parse(cls, text: str, source: str = "") -> Person | None:
        """A person from "Name" or "Name <email>"; None if there is no name."""
        text = " ".join(text.split())
        match = _NAME_EMAIL.match(text)
        if match:
            name, email = match.group("name").strip(), match.group("email")
        else:
            name, email = text, None
        if not name or any(c in name for c in "<>") or any(ord(c) < 32 for c in name):
            return None
        return cls(name, email, source)


def _git(project: Project, key: str) -> str:
    try:
        done = subprocess.run(
            ["git", "config", "--get", key],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def find_reviewer(project: Project, explicit: str | None = None) -> Person | None:
    """The person running transflow, from the first place that names one (see above)."""
    candidates = [
        (explicit, "--reviewer"),
        (os.environ.get(ENV_VAR), ENV_VAR),
        (project.settings.get("reviewer"), "[tool.transflow] reviewer"),
    ]
    for value, source in candidates:
        if isinstance(value, str) and value.strip():
            person = Person.parse(value, source)
            if person is None:
                raise InputError(f"{source}: {value!r} is not a name (use 'Name <email>')")
            return person
    name = _git(project, "user.name")
    if name:
        email = _git(project, "user.email") or None
        return Person.parse(f"{name} <{email}>" if email else name, "git config user.name")
    return None


def require_reviewer(project: Project, explicit: str | None = None) -> Person:
    """``find_reviewer``, or a one-line error saying how to name yourself."""
    person = find_reviewer(project, explicit)
    if person is None:
        raise InputError(
            "who is approving? give --reviewer 'Name <email>', set TRANSFLOW_REVIEWER, "
            "or set git config user.name"
        )
    return person
