"""The domain of 绩效自评填报: the form, figures, rules, store and files. No Qt here."""

PROGRAM = "绩效自评填报"
__version__ = "0.1.0"
