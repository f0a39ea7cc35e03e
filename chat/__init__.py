"""The shared chat layer: what the bot and the scheduler both show in Telegram.

It sits between them and ``core`` (see ``[tool.importlinter]`` in ``pyproject.toml``): the bot
and the scheduler may import it, it imports neither of them. Today it holds the prompt button
that opens a contact's projects; the shared screens, sending and buttons move here next.
"""
