"""Use-cases. Each function takes a Session (the caller owns the transaction) and an Actor, and
returns frozen DTOs, never ORM objects."""
