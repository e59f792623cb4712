"""The records and every value derived from them: totals, order, rounds, the site-wide views."""
