"""Structured free text: what a contact types becomes paragraphs and (nested) lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.richtext import Block, BlockKind, ListItem, RichText


def test_a_paragraph_then_a_bullet_list_become_two_blocks() -> None:
    text = RichText.from_plain("Die Vision:\n- zentraler Zugang,\n- Vermittlung vor Ort")
    assert text.blocks == (
        Block("p", lines=("Die Vision:",)),
        Block("ul", items=(ListItem("zentraler Zugang,"), ListItem("Vermittlung vor Ort"))),
    )


def test_bullets_under_numbered_items_are_their_sub_items() -> None:
    text = RichText.from_plain(
        "1. Radweg an der K 5\n    - Ausschreibung ist in Vorbereitung\n"
        "2. Radweg an der K 63\n- Grunderwerb fast abgeschlossen"
    )
    (block,) = text.blocks
    assert block.kind == "ol"
    assert [i.text for i in block.items] == ["Radweg an der K 5", "Radweg an der K 63"]
    assert [i.children.items[0].text for i in block.items if i.children] == [
        "Ausschreibung ist in Vorbereitung",
        "Grunderwerb fast abgeschlossen",
    ]


def test_line_breaks_inside_a_paragraph_stay_line_breaks() -> None:
    assert RichText.from_plain("Umsetzung 2024\nAusschreibung 2023").blocks == (
        Block("p", lines=("Umsetzung 2024", "Ausschreibung 2023")),
    )


def test_an_indented_line_under_an_item_continues_the_item() -> None:
    (block,) = RichText.from_plain("- Planungen eingestellt; bestehende\n  Wegeverbindung").blocks
    assert block.items == (ListItem("Planungen eingestellt; bestehende Wegeverbindung"),)


def test_empty_text_has_no_blocks_and_is_false() -> None:
    assert not RichText.from_plain("  \n\n ")
    assert RichText.from_json(None) == RichText()


def test_plain_text_stored_before_the_structure_is_read_as_plain_text() -> None:
    assert RichText.from_json("- a\n- b") == RichText.from_plain("- a\n- b")


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=8)
_LINE = st.lists(_WORD, min_size=1, max_size=5).map(" ".join).map(str.capitalize)


@st.composite
def _rich(draw: st.DrawFn) -> RichText:
    blocks: list[Block] = []
    for _ in range(draw(st.integers(0, 4))):
        kinds: tuple[BlockKind, ...] = ("p", "ul", "ol")
        kind = draw(st.sampled_from(kinds))
        if kind == "p" or (blocks and blocks[-1].is_list):
            blocks.append(Block("p", lines=tuple(draw(st.lists(_LINE, min_size=1, max_size=3)))))
            continue
        items = []
        for _ in range(draw(st.integers(1, 4))):
            children = None
            if draw(st.booleans()):
                children = Block(
                    "ul",
                    items=tuple(ListItem(t) for t in draw(st.lists(_LINE, min_size=1, max_size=3))),
                )
            items.append(ListItem(draw(_LINE), children))
        blocks.append(Block(kind, items=tuple(items)))
    return RichText(tuple(blocks))


@given(_rich())
def test_the_plain_form_and_the_stored_form_read_back_the_same_structure(
    text: RichText,
) -> None:
    assert RichText.from_plain(text.to_plain()) == text
    assert RichText.from_json(text.to_json()) == text
