"""The pure domain: entities, rule tables and transitions. No I/O, no clock."""
