"""The domain of 绩效自评填报: the form, figures, rules, store and files. No Qt here."""
