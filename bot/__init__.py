"""The Telegram bot: department contacts update their projects in a conversation.

Modules, outside in:

- :mod:`bot.app` – composition root: ``build_application(settings, sessions, clock)``, the
  per-user update processor, the command menu, polling/webhook (:func:`bot.app.run`).
- :mod:`bot.handlers` – thin python-telegram-bot callbacks; the gate in group -1 refuses
  everyone who is not an active, bound contact (``texts.refusal()``, nothing else).
- :mod:`bot.transaction` – one update = one unit of work: load the conversation, run a step,
  store the conversation; replies are sent after the commit.
- :mod:`bot.steps` – one small function per button and per typed answer;
  :mod:`bot.views` – the screen of each step; :mod:`bot.turn` – what a step works with.
- :mod:`bot.flow` – the pure state machine (steps, "Zurück", stored state, input cleaning);
  :mod:`bot.callback_data` – ``n1:<seq>:<action>[:<arg>]``, parsed by one strict function;
  :mod:`bot.draft` – the items of a draft change set.
- :mod:`bot.screens`, :mod:`bot.keyboards`, :mod:`bot.sending` – HTML (everything escaped),
  inline keyboards, splitting below 4096 characters; :mod:`bot.texts` – every German text.

Persistence: the conversation (step, screen counter, partial input, last update id) lives in
the ``conversations`` table and the draft in the submission's change set, both written in the
transaction of the update that changed them. Nothing is kept in memory between updates, so a
restart, even after SIGKILL, continues at the same step.
"""
