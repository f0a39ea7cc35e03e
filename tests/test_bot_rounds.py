"""What the bot process keeps of the rounds it announces (bot.common.rounds.Rounds)."""

from __future__ import annotations

import asyncio

from bot.common.rounds import Rounds


async def test_a_rounds_sendings_go_one_after_the_other_in_the_order_they_asked() -> None:
    rounds = Rounds()
    order: list[str] = []
    first_in = asyncio.Event()

    async def send(name: str, key: str, hold: asyncio.Event | None = None) -> None:
        async with rounds.sending(key):
            order.append(f"{name} in")
            if hold is not None:
                first_in.set()
                await hold.wait()
            order.append(f"{name} out")

    hold = asyncio.Event()
    first = asyncio.create_task(send("a", "r1", hold))
    await first_in.wait()
    second = asyncio.create_task(send("b", "r1"))
    other = asyncio.create_task(send("c", "r2"))  # another round does not wait
    await other
    assert order == ["a in", "c in", "c out"]
    hold.set()
    await asyncio.gather(first, second)
    assert order == ["a in", "c in", "c out", "a out", "b in", "b out"]


def test_the_copies_last_sent_are_kept_for_the_newest_rounds() -> None:
    rounds = Rounds(kept=2)
    rounds.sent("r1", {7: (70, 1)})
    rounds.sent("r2", {7: (70, 2)})
    copies = rounds.copies("r1")
    copies[8] = (80, 9)  # the caller's copy: the kept one stays as sent
    assert rounds.copies("r1") == {7: (70, 1)}
    rounds.sent("r1", {7: (70, 3)})  # sent again: the newest now
    rounds.sent("r3", {7: (70, 4)})  # r2 is the oldest: forgotten
    assert rounds.copies("r2") == {}
    assert rounds.copies("r1") == {7: (70, 3)}
    assert rounds.copies("r3") == {7: (70, 4)}
