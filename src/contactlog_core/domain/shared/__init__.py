"""The shared kernel: ids and checks, paging and sorting, text folding, changes, audit events, the policy."""
