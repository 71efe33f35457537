"""Sales leads: the model, the lead rules, aging, the commands, the views and their in-memory answers."""
