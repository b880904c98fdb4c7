"""`bytewise(text)`: a text compared byte by byte (PostgreSQL's "C" collation), for grouping keys."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class bytewise(GenericFunction):
    """A text compared byte by byte (PostgreSQL's "C" collation): grouping keys sort several times faster."""

    type = String()
    name = "bytewise"
    inherit_cache = True


@compiles(bytewise)
def _bytewise(element, compiler, **kw):
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(bytewise, "sqlite")
def _bytewise_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)  # SQLite compares bytes already (BINARY)
