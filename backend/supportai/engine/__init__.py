"""Pure logic: message understanding, decisions, policies. No I/O, no database, no HTTP."""
