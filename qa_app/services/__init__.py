"""Use cases, one package per area. Two kinds of function, side by side in each package:

* session-level building blocks ``x(session, actor, ...)``: they compose inside one
  transaction and never commit (tests and other services call them);
* what the app and the command line call, each in ONE unit of work from
  ``services.database``: ``<page>_screen(uow, actor, ...)`` reads everything a page draws
  and returns plain dataclasses/DataFrames, ``do_x(uow, actor, ...)`` makes one complete
  change and commits only when it succeeded.

Roles are checked here (``permissions.require``), not only in the UI; nothing returned to
the UI is an ORM object.
"""
