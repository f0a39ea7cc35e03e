"""The coordination: review submissions, follow progress, manage projects and people
(flow, steps, dialogs, the turn runner and the PTB handlers)."""
