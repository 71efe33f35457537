"""Stop-word lists, one module per language, kept as Python data so the domain does no I/O."""
