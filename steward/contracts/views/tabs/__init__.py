"""Each area's tab of the contract page: what it shows.

The area's actions live in ``views/<area>.py``.
"""
