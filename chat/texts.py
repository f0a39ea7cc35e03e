"""German text of the shared chat layer (see :mod:`chat`)."""

from __future__ import annotations

from typing import Final

#: The button under prompts, reminders and nudges that opens the contact's projects.
OPEN_BUTTON: Final = "Projekte öffnen"
#: The button under "Ihre Meldung wurde zurückgegeben": opens that project (issue 18).
OPEN_PROJECT_BUTTON: Final = "Projekt öffnen"
