"""Figures: the counts a report gives, each with its indicator, period and what it is about (`observations`)."""
