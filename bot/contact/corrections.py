"""Corrections (issue 18): a value already entered is changed in one or two actions.

* The last typed answer is remembered (:attr:`bot.contact.flow.Conv.last`: its message id,
  the draft entry and value it became). An edit of that Telegram message replaces the value;
  a resend of a corrected text on a button screen offers to replace it.
* The list of entries (``Step.REMOVE``) shows every entry whole and numbered, with "✎ n"
  (type one value of it anew, ``Step.EDIT_VALUE``) and "✕ n" (remove it).
* A remark can be extended (a new paragraph) as well as replaced.

Pure step logic like :mod:`bot.contact.steps`: runs inside the turn's transaction.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Final

from bot import texts
from bot.common import screens
from bot.common.callback_data import Action, Button, encode
from bot.common.dialog import InputError, clean_block, clean_line, clean_rich_text, read_date
from bot.common.draft import entry_of, item_keys
from bot.common.screens import Screen, esc
from bot.contact import keyboards
from bot.contact.flow import Step
from bot.contact.turn import Turn
from core.changes import MAX_LONG_TEXT, MAX_NUMMER, MAX_SHORT_TEXT, ChangeSet

#: The values of each kind of entry that "✎" can change, the first one asked first.
FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "done": ("text", "date"),
    "planning": ("text", "date"),
    "planned": ("text", "date"),
    "tick": ("date",),
    "consultation": ("gremium", "date", "nummer"),
    "status": ("reason",),
    "remark": ("remark",),
    "description": ("description",),
}

#: Where the answer typed at a step goes when it completes an entry: the value's field.
ANSWER_FIELD: Final[dict[Step, str]] = {
    Step.DONE_TEXT: "text",
    Step.PLANNED_TEXT: "text",
    Step.TICK_DATE: "date",
    Step.GREMIUM_NR: "nummer",
    Step.REMARK: "remark",
    Step.DESCRIPTION: "description",
    Step.DROP_REASON: "reason",
}
#: Steps whose answer stays in the partial input until the entry is complete.
PENDING_FIELD: Final[dict[Step, str]] = {
    Step.DONE_DATE: "date",
    Step.GREMIUM_DATE: "date",
    Step.PLANNED_DATE: "date",
    Step.GREMIUM_NAME: "gremium",
}
#: Steps whose answer sets a value that has no new item key.
_KEY_OF_STEP: Final = {
    Step.REMARK: "remark",
    Step.DESCRIPTION: "description",
    Step.DROP_REASON: "status",
}
#: How alike a text typed on a button screen and the last answer must be to offer replacing.
RESEND_SIMILARITY: Final = 0.5
CORRECTED_SHOWN: Final = 200  # characters of the new value in "Korrigiert: …"


def _kind(key: str) -> str:
    return key.partition(":")[0]


def current_value(cs: ChangeSet, key: str, field: str) -> str | None:
    """The value ``field`` of the entry ``key`` as plain text (a date as written back), or
    None if the draft has no such entry."""
    if key not in item_keys(cs):
        return None
    match _kind(key):
        case "status":
            return cs.drop_reason or ""
        case "remark":
            return cs.remark or ""
        case "description":
            return cs.description or ""
    value = getattr(entry_of(cs, key), field, None)
    if field == "date":
        return screens.plain(screens.fdate(value)) if isinstance(value, str) else ""
    return value if isinstance(value, str) else ""


def _read(turn: Turn, field: str, text: str) -> tuple[str, str]:
    """(stored value, shown value) of ``text`` for ``field``; :class:`InputError` if it does
    not fit."""
    match field:
        case "date":
            value = read_date(text, turn.today)
            return value.storage(), value.format()
        case "nummer":
            line = clean_line(text, MAX_NUMMER)
            return line, line
        case "text" | "gremium":
            line = clean_line(text, MAX_SHORT_TEXT)
            return line, line
        case "reason":
            block = clean_block(text, MAX_LONG_TEXT)
            return block, block
        case _:
            rich = clean_rich_text(text, MAX_LONG_TEXT)
            return rich, rich


def set_value(turn: Turn, key: str, field: str, text: str, *, base: str | None = None) -> str:
    """Replace value ``field`` of entry ``key`` in the draft by ``text`` (after ``base`` as
    its first paragraphs, for an extended remark); the value as shown. :class:`InputError`
    if ``text`` does not fit or the entry is gone."""
    stored, shown = _read(turn, field, text)
    if base:
        stored = _checked_long(base + "\n\n" + stored)
    _, cs = turn.draft(turn.project())
    if key not in item_keys(cs):
        raise InputError(texts.EDIT_OLDER)

    def apply(c: ChangeSet) -> None:
        match _kind(key):
            case "status":
                c.drop_reason = stored
            case "remark" | "description":
                setattr(c, _kind(key), stored)
            case _:
                entry = entry_of(c, key)
                if entry is not None and getattr(entry, field, None) != stored:
                    setattr(entry, field, stored)
                    # Whoever changed it last answers for it (issue 18): the stamp of
                    # save_changes makes the editor its author, as for status and remark.
                    entry.author = None

    turn.change(apply)
    return shown


def _checked_long(text: str) -> str:
    if len(text) > MAX_LONG_TEXT:
        raise InputError(texts.TOO_LONG.format(length=len(text), limit=MAX_LONG_TEXT))
    return text


# -- the last answer ----------------------------------------------------------------------------


def draft_keys(turn: Turn) -> list[str]:
    """The item keys of the current project's draft (none without a project)."""
    if turn.conv.project_id is None:
        return []
    return item_keys(turn.draft(turn.project())[1])


def keys_matter(step: Step) -> bool:
    """Whether :func:`remember_answer` compares the draft's item keys for an answer at
    ``step`` (a partial input or an edited value needs none: no draft look-up before it)."""
    return step not in PENDING_FIELD and step is not Step.EDIT_VALUE


def remember_answer(
    turn: Turn, message_id: int, step: Step, before: list[str], pending: dict[str, Any]
) -> None:
    """After a typed answer at ``step`` was taken: remember where its value went.

    ``before`` and ``pending``: the draft's item keys and the partial input before the
    answer (the step may have cleared it)."""
    conv = turn.conv
    edited = (pending.get("key"), pending.get("field"))
    conv.last = {}
    if step in PENDING_FIELD:
        name = PENDING_FIELD[step]
        if name in conv.pending:
            conv.last = {"mid": message_id, "pending": name, "was": conv.pending[name]}
        return
    key: str | None
    field: str | None
    if step is Step.EDIT_VALUE:
        key = edited[0] if isinstance(edited[0], str) else None
        field = edited[1] if isinstance(edited[1], str) else None
    else:
        after = draft_keys(turn)
        new = [k for k in after if k not in before]
        key = new[0] if new else _KEY_OF_STEP.get(step)
        field = ANSWER_FIELD.get(step)
    if key is None or field is None:
        return
    _, cs = turn.draft(turn.project())
    was = current_value(cs, key, field)
    if was is None:
        return
    conv.last = {
        "mid": message_id, "project": conv.project_id, "key": key, "field": field, "was": was,
    }  # fmt: skip
    if step is Step.REMARK and pending.get("base"):
        conv.last["base"] = pending["base"]


def take_edit(turn: Turn, message_id: int, text: str) -> str | None:
    """An edited message: the value shown if it was the last answer and replaced its value,
    None if it was an older message (or its value is gone or changed meanwhile)."""
    conv, last = turn.conv, turn.conv.last
    if not last or last.get("mid") != message_id:
        return None
    if "pending" in last:
        field = str(last["pending"])
        if conv.pending.get(field) != last.get("was"):
            return None
        stored, shown = _read(turn, field, text)
        conv.pending[field] = stored
        last["was"] = stored
        return shown
    if last.get("project") != conv.project_id:  # on another project meanwhile
        return None
    key, field = str(last["key"]), str(last["field"])
    _, cs = turn.draft(turn.project())
    if current_value(cs, key, field) != last.get("was"):
        return None
    base = last.get("base")
    shown = set_value(turn, key, field, text, base=base if isinstance(base, str) else None)
    _, cs = turn.draft(turn.project())
    last["was"] = current_value(cs, key, field)
    return shown


def offer_replace(turn: Turn, text: str) -> str | None:
    """On a button screen: the notice offering to replace the last answer by ``text`` if
    ``text`` looks like a corrected resend of it (None otherwise); remembered in the partial
    input for :func:`on_replace_last`."""
    conv, last = turn.conv, turn.conv.last
    if conv.step is not Step.CHANGES or "key" not in last or conv.project_id is None:
        return None
    if last.get("project") != conv.project_id:
        return None
    key, field = str(last["key"]), str(last["field"])
    _, cs = turn.draft(turn.project())
    old = current_value(cs, key, field)
    if not old or old != last.get("was"):
        return None
    base = last.get("base")
    if isinstance(base, str) and old.startswith(base + "\n\n"):
        old = old[len(base) + 2 :]  # an extended remark: its addition was the answer
    if text.strip() == old:
        return None
    if SequenceMatcher(None, old.casefold(), text.casefold()).ratio() < RESEND_SIMILARITY:
        return None
    conv.pending["resent"] = text
    return texts.OFFER_REPLACE.format(
        new=esc(screens.shorten(text, 80)), old=esc(screens.shorten(old, 80))
    )


def on_replace_last(turn: Turn, b: Button) -> Step | None:
    """Ja, ersetzen: the resent text replaces the last answer's value."""
    resent, last = turn.conv.pending.get("resent"), turn.conv.last
    if not isinstance(resent, str) or last.get("project", -1) != turn.conv.project_id:
        turn.toast = texts.STALE_BUTTON
        return None
    key, field = str(last["key"]), str(last["field"])
    _, cs = turn.draft(turn.project())
    if current_value(cs, key, field) != last.get("was"):
        turn.toast = texts.STALE_BUTTON
        return Step.CHANGES
    base = last.get("base")  # an extended remark: the resent text replaces the addition
    shown = set_value(turn, key, field, resent, base=base if isinstance(base, str) else None)
    _, cs = turn.draft(turn.project())
    last["was"] = current_value(cs, key, field)
    turn.say(corrected(shown))
    return Step.CHANGES


def corrected(shown: str) -> str:
    """ "Korrigiert: …" with the new value (a long one cut, it is in the screen below)."""
    return texts.CORRECTED.format(value=esc(screens.shorten(shown, CORRECTED_SHOWN)))


def with_button(turn: Turn, screen: Screen, label: str, action: Action) -> Screen:
    """``screen`` with one more button on top (carrying the screen's counter)."""
    row = ((label, encode(turn.conv.seq, action)),)
    return Screen(screen.text, (row, *(screen.keyboard or ())))


# -- the list of entries: ✎ ändern / ✕ entfernen ------------------------------------------------


def on_edit_item(turn: Turn, b: Button) -> Step | None:
    """✎ n: type the entry's value anew (status and texts: their own steps)."""
    keys = turn.conv.pending.get("items", [])
    _, cs = turn.draft(turn.project())
    if b.number >= len(keys) or keys[b.number] not in item_keys(cs):
        turn.toast = texts.STALE_BUTTON
        return None
    key = str(keys[b.number])
    match _kind(key):
        case "status":
            return Step.STATUS
        case "remark":
            return turn.conv.begin(Step.REMARK)
        case "description":
            return turn.conv.begin(Step.DESCRIPTION)
    return turn.conv.begin(Step.EDIT_VALUE, key=key, field=FIELDS[_kind(key)][0], items=keys)


def on_edit_field(turn: Turn, b: Button) -> Step | None:
    """✎ Datum / ✎ Gremium …: another value of the same entry."""
    key = str(turn.conv.pending.get("key", ""))
    fields = FIELDS.get(_kind(key), ())
    if b.number >= len(fields):
        turn.toast = texts.STALE_BUTTON
        return None
    turn.conv.pending["field"] = fields[b.number]
    return None


def on_edit_value(turn: Turn, text: str) -> Step | None:
    """The new value of the entry being changed; the rest of the entry stays."""
    key, field = turn.conv.pending.get("key"), turn.conv.pending.get("field")
    if not isinstance(key, str) or not isinstance(field, str):
        return Step.CHANGES
    shown = set_value(turn, key, field, text)
    turn.say(corrected(shown))
    return Step.CHANGES


def edit_target(turn: Turn) -> tuple[str, str] | None:
    """(key, field) being typed at ``Step.EDIT_VALUE``."""
    key, field = turn.conv.pending.get("key"), turn.conv.pending.get("field")
    return (key, field) if isinstance(key, str) and isinstance(field, str) else None


def render_entries(turn: Turn, seq: int) -> Screen:
    """Every entry of the draft whole and numbered; "✎ n" and "✕ n" for each."""
    project = turn.project()
    _, cs = turn.draft(project)
    keys = item_keys(cs)
    turn.conv.pending["items"] = keys
    lines = [
        texts.ENTRY_LINE.format(number=i, item=screens.item_line(project, cs, k, short=False))
        for i, k in enumerate(keys, start=1)
    ]
    pairs: list[keyboards.Spec] = []
    for i in range(len(keys)):
        pairs.append((texts.BTN_EDIT_ENTRY.format(number=i + 1), Action.EDIT_ITEM, i))
        pairs.append((texts.BTN_REMOVE_ENTRY.format(number=i + 1), Action.REMOVE_ITEM, i))
    rows = [pairs[i : i + 4] for i in range(0, len(pairs), 4)]
    keyboard = keyboards.build(seq, [*rows, keyboards.back_row(Step.REMOVE)])
    return Screen(screens.paragraphs(texts.ASK_ENTRIES, "\n".join(lines)), keyboard)


def render_edit_value(turn: Turn, seq: int) -> Screen:
    """Ask for the new value, the current one shown to copy; buttons for the other values."""
    project = turn.project()
    _, cs = turn.draft(project)
    target = edit_target(turn)
    if target is None or target[0] not in item_keys(cs):
        turn.say(texts.STALE_BUTTON)
        turn.conv.go(Step.REMOVE)
        return render_entries(turn, seq)
    key, field = target
    item = screens.item_line(project, cs, key, short=False)
    question = texts.ASK_NEW_VALUE.format(item=item, field=texts.FIELD_NAMES[field])
    current = current_value(cs, key, field) or ""
    others: list[keyboards.Spec] = [
        (texts.BTN_OTHER_FIELD.format(field=texts.FIELD_NAMES[f]), Action.EDIT_FIELD, i)
        for i, f in enumerate(FIELDS[_kind(key)])
        if f != field
    ]
    shown = texts.CURRENT_VALUE.format(value=screens.esc_line(current)) if current else None
    return screens.prompt(question, keyboards.prompt(seq, Step.EDIT_VALUE, others), shown)


# -- the remark: extend or replace --------------------------------------------------------------


def remark_now(turn: Turn) -> str:
    """The remark as it stands: the draft's new one, else the project's."""
    project = turn.project()
    _, cs = turn.draft(project)
    return cs.remark if cs.remark is not None else project.remark.to_plain()


def on_remark_append(turn: Turn, b: Button) -> Step | None:
    """Ergänzen: the typed text becomes a new paragraph after the current remark."""
    turn.conv.pending["base"] = remark_now(turn)
    return None


def on_remark_replace(turn: Turn, b: Button) -> Step | None:
    """Ersetzen: the typed text replaces the remark (the default)."""
    turn.conv.pending.pop("base", None)
    return None


def remark_with_base(turn: Turn, typed: str) -> str:
    """The remark to store for ``typed``: after the current one if "Ergänzen" was chosen."""
    base = turn.conv.pending.get("base")
    if isinstance(base, str) and base.strip():
        return _checked_long(base + "\n\n" + typed)
    return typed


def render_remark(turn: Turn, seq: int) -> Screen:
    """The current remark in a form that copies with one tap; Ergänzen / Ersetzen."""
    project = turn.project()
    current = remark_now(turn)
    appending = bool(turn.conv.pending.get("base"))
    extra: list[keyboards.Spec] = []
    if current.strip():
        extra.append(
            (texts.BTN_REMARK_REPLACE, Action.REMARK_REPLACE, None)
            if appending
            else (texts.BTN_REMARK_APPEND, Action.REMARK_APPEND, None)
        )
    if project.remark or current.strip():
        extra.append((texts.BTN_CLEAR_REMARK, Action.CLEAR_REMARK, None))
    shown = (
        texts.CURRENT_REMARK_COPY.format(text=esc(current))
        if current.strip()
        else texts.CURRENT_REMARK.format(text=texts.CURRENT_EMPTY)
    )
    question = texts.ASK_REMARK_APPEND if appending else texts.ASK_REMARK
    return screens.prompt(question, keyboards.prompt(seq, Step.REMARK, extra), shown)
