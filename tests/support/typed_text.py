"""What people type on a phone, and a one-project database to print it through.

:func:`typed_text` is a hypothesis strategy of text as a phone keyboard makes it: emoji with
skin tones and zero width joiner sequences, flags, astral characters, CJK, Hebrew and Arabic,
combining marks, symbols, and the control characters a copy-and-paste brings along.
:class:`OneProject` is the smallest database a report renders from: one Themenfeld, one goal,
one department with its contact, a coordinator and one project, created through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from hypothesis import strategies as st
from sqlalchemy.orm import Session

from core.admin import create_project
from core.approval import approve
from core.audit import Auditor
from core.changes import ChangeSet
from core.config import Publisher
from core.drafts import save_changes, start_draft, submit
from core.editions import collecting_edition
from core.models import Contact, Department, Field, Goal, Project, Role

#: Mid-June 2025: the edition being collected is "Stand 01.10.2025".
NOW = datetime(2025, 6, 16, 8, 0, tzinfo=UTC)
OCTOBER_2025 = date(2025, 10, 1)
PUBLISHER = Publisher(
    name="Kreis Soest",
    genitive="des Kreises Soest",
    url="https://www.kreis-soest.de",
    logo=None,
    accent="#2b6a43",
)

#: Grapheme clusters of several code points: ZWJ sequences, skin tones, flags, keycaps,
#: emoji presentation, combining marks.
CLUSTERS = (
    "👩🏽\u200d💻",  # woman technologist, medium skin tone
    "👨\u200d👩\u200d👧\u200d👦",  # family
    "🏳️\u200d🌈",  # rainbow flag
    "👍🏿",
    "🇩🇪",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England (tag sequence)
    "1\ufe0f\u20e3",  # keycap one
    "❤️",
    "e\u0301",
    "n\u0303",
    "\u05e9\u05c1",  # shin with shin dot
)
#: Single characters from the scripts and blocks a phone offers.
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x2000, 0x206F),  # general punctuation (direction marks, ZWJ, ...)
    (0x2190, 0x23FF),  # arrows, mathematical operators, technical
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x4E00, 0x4FFF),  # CJK ideographs
    (0xAC00, 0xAC40),  # Hangul syllables
    (0xFE00, 0xFE0F),  # variation selectors
    (0x1F300, 0x1FAFF),  # emoji
    (0x1D400, 0x1D4FF),  # mathematical alphanumerics (astral)
    (0x0000, 0x001F),  # C0 controls
    (0x0080, 0x009F),  # C1 controls
)


def _char_in(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(chr)


typed_char = st.one_of(
    st.sampled_from(CLUSTERS),
    *(_char_in(low, high) for low, high in RANGES),
    st.sampled_from(("\ufeff", "\u200b", "\u202e", "\r\n", "\n", "\t", "\u2028")),
)


def typed_text(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text of ``min_size`` to ``max_size`` characters or clusters as a phone may send it."""
    return st.lists(typed_char, min_size=min_size, max_size=max_size).map("".join)


@dataclass(frozen=True)
class OneProject:
    """Ids of the one-project database."""

    project_id: int
    contact_id: int
    coordinator_id: int

    @classmethod
    def create(cls, session: Session) -> OneProject:
        """Field, goal, department, contact, coordinator and the project (in planning)."""
        field = Field(number=1, title="Klima/Energie/Umwelt")
        field.goals = [Goal(index=1, text="Die Treibhausgasemissionen sollen sinken.")]
        department = Department(code="80.01", name="Klimaschutz")
        contact = Contact(name="Anna Albers", role=Role.CONTACT, departments=[department])
        coordinator = Contact(name="Kora Koordination", role=Role.COORDINATOR)
        session.add_all([field, department, contact, coordinator])
        session.flush()
        project = create_project(
            session,
            Auditor(session, actor="Kora Koordination", now=NOW),
            field_number=1,
            goal_number="1.1",
            title="Energieberatung für kreiseigene Gebäude",
            short_title="Energieberatung",
            department_codes=["80.01"],
            today=NOW.date(),
            description="Beratung zu Energie.",
        )
        return cls(project.id, contact.id, coordinator.id)

    def submit_and_approve(self, session: Session, changes: ChangeSet) -> None:
        """The contact submits ``changes`` and the coordinator approves them."""
        edition = collecting_edition(session, NOW.date())
        contact = session.get_one(Contact, self.contact_id)
        sub = start_draft(session, edition, session.get_one(Project, self.project_id), contact, NOW)
        save_changes(session, sub, changes, contact, NOW)
        submit(session, sub, contact, NOW)
        approve(session, sub.id, session.get_one(Contact, self.coordinator_id), NOW)
