"""Contact logs: the model, the ownership rules, the commands, the queries and their in-memory answers."""
