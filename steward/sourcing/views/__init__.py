"""Pages of sourcing events: the list, the event form and page with its parts, the invite screen,
questions and answers, the log, and the invitees' document download."""
