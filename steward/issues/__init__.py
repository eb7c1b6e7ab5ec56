"""The issue engine (both sides): a vendor issue or a customer service problem, with response and
resolution targets per severity, a status machine and an escalation ladder per relationship."""
