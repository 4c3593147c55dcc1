"""Read models of what was ordered and what it cost: the unit's and the payer's dashboard,
LMN administration's statistics, and the impact of an assortment change (issue 12)."""
