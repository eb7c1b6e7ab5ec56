"""Pages of evaluation and award: the event's section and its posts, the inside award pages,
and the winner's portal pages."""
