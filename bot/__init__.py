"""The Telegram bot: department contacts update their projects, coordinators review and manage.

Packages, outside in:

- :mod:`bot.app` – composition root: ``build_application(settings, sessions, clock)``, the
  per-user update processor, the command menu, polling/webhook (:func:`bot.app.run`);
  :mod:`bot.routes` – which conversation an update goes to (the one module besides the app
  that knows both roles).
- :mod:`bot.contact` – the contact conversation: PTB handlers and the gate, its side of the
  turn (``transaction``), steps (each returns its next step), views, keyboards, and the table
  of what each step accepts (``flow``).
- :mod:`bot.coordinator` – the coordination: handlers, its side of the turn, dialogs, review
  and decisions, projects, people, progress.
- :mod:`bot.common` – what both use: the one turn runner (``turns``: one update = one unit of
  work, one error policy), screens as plain data (HTML, everything escaped), the Telegram
  adapter (``sending``), the button codec (``n1`` and ``k1``) and keyboard builder, the review
  message and its announcement, reading typed input, the bot context, roles, menus, HTTP, logs.
- :mod:`bot.texts` – every German text.

``bot.contact`` and ``bot.coordinator`` never import each other (import-linter checks it).

Persistence: the conversation (step, screen counter, partial input, last update id) lives in
the ``conversations`` table and the draft in the submission's change set, both written in the
transaction of the update that changed them. Nothing is kept in memory between updates, so a
restart, even after SIGKILL, continues at the same step.
"""
