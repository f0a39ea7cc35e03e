"""The contact conversation: a contact walks through their projects and reports changes
(flow, steps, views, keyboards, the turn runner and the PTB handlers)."""
