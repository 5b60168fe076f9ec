"""Use cases. Each takes a SQLAlchemy ``Session`` (the caller owns the unit of work) and,
where access matters, the acting user as an ``Actor``; roles are checked here, not only in
the UI. Services return plain values and DataFrames, never ORM objects to the UI."""
