"""What both roles of the bot use: screens, sending, button codecs, the review message,
reading typed input, the bot context and roles, HTTP, logs, menus."""
