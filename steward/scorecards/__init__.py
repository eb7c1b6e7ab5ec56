"""The scorecard engine (both sides): weighted criteria scored 0-100 per period, and standings.

Its pure rules come first (``scoring``, ``standings``); models, services and pages follow.
"""
