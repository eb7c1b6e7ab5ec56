"""Pages of the savings register, the levers and TCO comparisons."""
