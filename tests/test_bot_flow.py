"""Unit tests of the bot's pure parts: callback data, steps, input cleaning, drafts, splitting."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from support.telegram_html import parse_html

from bot import texts
from bot.common.callback_data import (
    MAX_BYTES,
    NO_ART,
    SEQ_MODULO,
    STATUS_CODES,
    Action,
    Button,
    decode,
    encode,
)
from bot.common.dialog import InputError, clean_block, clean_line, read_date
from bot.common.draft import item_keys, remove_item
from bot.common.screens import esc, paragraphs
from bot.common.sending import LIMIT, split_html, visible_length
from bot.contact.flow import BACK, TEXT_STEPS, Conv, Step, accepts
from core.changes import ChangeSet, CompletedPlanned, NewConsultation, NewEntry
from core.status import Status

# -- callback data -------------------------------------------------------------------------------

ARGS: dict[Action, list[int | str | None]] = {
    Action.OVERVIEW: [0, 3], Action.OPEN: [1, 999_999_999], Action.TICK_PICK: [0, 7],
    Action.GREMIUM_PICK: [5], Action.REMOVE_ITEM: [12], Action.EDIT_ITEM: [3],
    Action.EDIT_FIELD: [1],
    Action.SET_STATUS: list(STATUS_CODES.values()), Action.ART: [0, 4, NO_ART],
}  # fmt: skip


def test_every_button_round_trips_and_stays_far_below_64_bytes() -> None:
    for action in Action:
        for arg in ARGS.get(action, [None]):
            data = encode(SEQ_MODULO - 1, action, arg)

            assert decode(data) == Button(SEQ_MODULO - 1, action, arg)
            assert len(data.encode()) <= 25 < MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        None,
        17,
        "",
        "open",
        "n1",
        "n1:",
        "n1:1",
        "n1:1:op",
        "n1:1:nc:1",
        "n1:01:ov:0",
        "n1:-1:ov:0",
        "n1:1:ov:-1",
        "n1:1:ov:x",
        "n1:1:zz",
        "n2:1:ov:0",
        "N1:1:ov:0",
        "n1:1:ss:xx",
        "n1:1:ss:1",
        "n1:1:ga:ab",
        "n1:1:ga",
        "n1:1:op:1:2",
        " n1:1:ov:0",
        "n1:1:ov:0\n",
        "n1:1000000000:ov:0",
        "n1:1:op:" + "1" * 60,
        "n1:1:op:１",
    ],
)
def test_forged_or_malformed_callback_data_is_rejected(data: object) -> None:
    assert decode(data) is None


def _argument(action: Action) -> st.SearchStrategy[int | str | None]:
    """The arguments ``action`` takes (as :data:`ARGS` lists them by kind)."""
    if action in (
        Action.OVERVIEW,
        Action.OPEN,
        Action.TICK_PICK,
        Action.GREMIUM_PICK,
        Action.REMOVE_ITEM,
        Action.EDIT_ITEM,
        Action.EDIT_FIELD,
    ):
        return st.integers(0, SEQ_MODULO - 1)
    if action is Action.SET_STATUS:
        return st.sampled_from(list(STATUS_CODES.values()))
    if action is Action.ART:
        return st.integers(0, 20) | st.just(NO_ART)
    return st.none()


#: Callback data as the bot writes it: every action with every kind of argument it takes.
CANONICAL = st.tuples(st.integers(0, SEQ_MODULO - 1), st.sampled_from(Action)).flatmap(
    lambda seq_action: _argument(seq_action[1]).map(
        lambda arg: encode(seq_action[0], seq_action[1], arg)
    )
)


def _near_misses(data: str) -> list[str]:
    """``data`` changed in each field the way a forger or a bug would: a leading zero, a sign,
    another code, a field too many or too few."""
    fields = data.split(":")
    misses = [data + ":1", data + ":", ":".join(fields[:-1]), " " + data, data.upper()]
    for i, part in enumerate(fields):
        for changed in ("0" + part, "+" + part, "-" + part, part + "0", "zz", "", "１"):
            misses.append(":".join([*fields[:i], changed, *fields[i + 1 :]]))
    return misses


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    """Canonical data changed a little: a near miss in one field, or one character replaced,
    inserted or deleted; mostly forged, some still canonical (a digit for a digit)."""
    data = draw(CANONICAL)
    if draw(st.booleans()):
        return draw(st.sampled_from(_near_misses(data)))
    at = draw(st.integers(0, len(data)))
    char = draw(st.sampled_from("0123456789:abcdefghijklmnopqrstuvwxyz n-１") | st.characters())
    match draw(st.sampled_from(["replace", "insert", "delete"])):
        case "replace":
            return data[:at] + char + data[at + 1 :]
        case "insert":
            return data[:at] + char + data[at:]
        case _:
            return data[:at] + data[at + 1 :]


#: Mostly canonical data (six in nine draws: about two thirds of the examples reach the round
#: trip below), then nearly canonical data and arbitrary text (which the decoder must refuse).
CALLBACK_DATA = st.sampled_from(
    [CANONICAL] * 6 + [_mutated(), _mutated(), st.text(max_size=90)]
).flatmap(lambda kind: kind)


@pytest.mark.slow
@given(CALLBACK_DATA)
def test_decoding_anything_never_fails_and_only_accepts_canonical_data(data: str) -> None:
    button = decode(data)

    event("decoded" if button is not None else "rejected")
    if button is not None:
        assert encode(button.seq, button.action, button.arg) == data


def test_a_status_argument_decodes_to_the_status() -> None:
    assert decode("n1:4:ss:en") == Button(4, Action.SET_STATUS, "en")
    assert Button(4, Action.SET_STATUS, "en").status is Status.ENTFALLEN


# -- steps ---------------------------------------------------------------------------------------


def test_back_and_overview_are_accepted_where_the_screens_show_them() -> None:
    assert not accepts(Step.OVERVIEW, Action.BACK)
    assert accepts(Step.DONE_TEXT, Action.BACK)
    assert all(accepts(step, Action.OVERVIEW) for step in Step)
    assert accepts(Step.SUMMARY, Action.SUBMIT)
    assert not accepts(Step.CHANGES, Action.SUBMIT)
    assert not accepts(Step.OVERVIEW, Action.SET_STATUS)


def test_zurueck_never_leads_into_a_text_step_from_the_menu_level() -> None:
    assert BACK[Step.DONE_TEXT] is Step.DONE_DATE
    assert BACK[Step.GREMIUM_NR] is Step.GREMIUM_ART
    assert all(BACK[s] not in TEXT_STEPS for s in (Step.CHANGES, Step.PROJECT, Step.SUMMARY))


def test_a_conversation_round_trips_through_json() -> None:
    conv = Conv(
        Step.DONE_TEXT,
        41,
        900,
        "2025-10-01",
        [(3, "1.1.2.1"), (5, "2.1.2.1")],
        3,
        1,
        {"date": "2024-MID"},
    )

    assert Conv.from_json(conv.step.value, conv.to_json()) == conv


@pytest.mark.parametrize(
    ("state", "data"),
    [("nonsense", {}), ("changes", {"seq": "x"}), ("changes", {"queue": [[1]]}), ("", None)],
)
def test_an_unreadable_stored_conversation_starts_over(
    state: str, data: dict[str, object] | None
) -> None:
    assert Conv.from_json(state, data) == Conv()


def test_the_screen_counter_wraps_below_the_encodable_limit() -> None:
    conv = Conv(seq=SEQ_MODULO - 1)

    assert conv.next_screen() == 0


def test_starting_an_entry_drops_the_partial_input_of_the_last_one() -> None:
    conv = Conv(Step.DONE_TEXT, pending={"date": "2024"})

    conv.go(Step.DONE_DATE)
    kept = dict(conv.pending)
    conv.begin(Step.PLANNED_DATE)

    assert kept == {"date": "2024"}
    assert conv.pending == {}


# -- reading what people type -------------------------------------------------------------------


def test_a_line_loses_control_characters_and_extra_spaces() -> None:
    assert clean_line("  Plan\x00 \x1b[31mfertig\u202e \n\n  gestellt\t ", 300) == (
        "Plan [31mfertig gestellt"
    )


def test_a_block_keeps_paragraphs_but_not_runs_of_blank_lines() -> None:
    assert clean_block("Erster\r\nAbsatz\n\n\n\n  Zweiter  ", 3000) == ("Erster\nAbsatz\n\nZweiter")


def test_emoji_and_umlauts_are_kept() -> None:
    assert clean_line("Fertig 👍🏽 👩‍👩‍👧 – Größe", 300) == "Fertig 👍🏽 👩‍👩‍👧 – Größe"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "\u202e"])
def test_empty_input_asks_for_text(text: str) -> None:
    with pytest.raises(InputError, match=texts.EMPTY_TEXT):
        clean_line(text, 300)


def test_an_overlong_text_names_its_length_and_the_limit() -> None:
    with pytest.raises(InputError) as caught:
        clean_line("x" * 301, 300)

    assert str(caught.value) == (
        "Der Text ist zu lang (301 Zeichen, höchstens 300). Bitte kürzen Sie ihn."
    )


def test_dates_are_read_with_the_fuzzy_parser() -> None:
    today = date(2025, 6, 16)

    assert read_date("Mitte 2024", today).storage() == "2024-MID"
    assert read_date(" 15.3.25 ", today).storage() == "2025-03-15"
    assert read_date("heute", today).storage() == "2025-06-16"


def test_an_unreadable_date_quotes_the_input_for_escaping_later() -> None:
    with pytest.raises(InputError, match=re.escape("„31.2.2024 <b>“")):
        read_date("31.2.2024 <b>", date(2025, 6, 16))
    with pytest.raises(InputError, match=re.escape(texts.DATE_TOO_LONG)):
        read_date("1" * 61, date(2025, 6, 16))


# -- drafts --------------------------------------------------------------------------------------


def full_changes() -> ChangeSet:
    return ChangeSet(
        status="entfallen",
        drop_reason="Daueraufgabe",
        milestones_done=[NewEntry("2024", "a"), NewEntry("2025", "b")],
        planning_steps=[NewEntry(None, "c")],
        completed_planned=[CompletedPlanned("d", "2025", "2025-04")],
        consultations=[NewConsultation("2025-03-06", "Kreistag")],
        milestones_planned=[NewEntry("2026", "e")],
        remark="",
        description="f",
    )


def test_every_entered_change_is_one_item_in_summary_order() -> None:
    assert item_keys(full_changes()) == [
        "status",
        "done:0",
        "done:1",
        "planning:0",
        "tick:0",
        "consultation:0",
        "planned:0",
        "remark",
        "description",
    ]


def test_removing_every_item_leaves_an_empty_change_set() -> None:
    cs = full_changes()

    while item_keys(cs):
        assert remove_item(cs, item_keys(cs)[-1])

    assert cs.is_empty
    assert cs.drop_reason is None


def test_removing_an_item_that_is_not_there_changes_nothing() -> None:
    cs = full_changes()

    assert not remove_item(cs, "done:2")
    assert not remove_item(cs, "bogus")
    assert cs == full_changes()


# -- long messages -------------------------------------------------------------------------------

PARAGRAPHS = st.lists(
    st.one_of(
        st.text(max_size=300).map(esc),
        st.text(min_size=1, max_size=60).map(lambda t: f"<b>{esc(' '.join(t.split()) or 'x')}</b>"),
        st.text(max_size=5000).map(esc),
    ),
    min_size=1,
    max_size=12,
)


@given(PARAGRAPHS, st.integers(100, LIMIT))
def test_long_messages_split_into_valid_parts_below_the_limit(parts: list[str], limit: int) -> None:
    text = paragraphs(*parts) or "x"

    chunks = split_html(text, limit)

    for chunk in chunks:
        assert visible_length(chunk) <= limit
        parse_html(chunk)  # raises on broken markup

    def squeeze(s: str) -> str:
        return "".join(s.split())

    assert squeeze("".join(parse_html(c).text for c in chunks)) == squeeze(parse_html(text).text)


def test_a_short_message_is_sent_as_it_is() -> None:
    assert split_html("<b>Hallo</b>\n\nWelt") == ["<b>Hallo</b>\n\nWelt"]


def test_a_message_of_9000_characters_becomes_three_parts() -> None:
    text = paragraphs(*(esc("ä & ö " * 100) for _ in range(15)))

    chunks = split_html(text)

    assert len(chunks) == 3
    assert all(visible_length(c) <= LIMIT for c in chunks)


def test_a_typed_list_is_read_as_structure_and_kept_in_its_plain_form() -> None:
    from bot.common.dialog import clean_rich_text
    from core.richtext import RichText

    typed = "Stand:\n• Ausschreibung läuft\n•   Vergabe im Mai\n\n1) K 5\n   * Bauabschnitt 1"
    plain = clean_rich_text(typed, 3000)
    assert plain == (
        "Stand:\n\n- Ausschreibung läuft\n- Vergabe im Mai\n\n1. K 5\n   - Bauabschnitt 1"
    )
    assert [b.kind for b in RichText.from_plain(plain).blocks] == ["p", "ul", "ol"]
