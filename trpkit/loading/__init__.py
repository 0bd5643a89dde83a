"""Reading the data files (``checklists/``) and ``config.toml`` into typed, validated data.

One layer above ``trpkit.domain``: it reads files, checks them against pydantic models and builds
the domain's frozen dataclasses, so the domain never touches a file. Every problem is a
:class:`trpkit.loading.errors.DataFileError` naming the file, the line (found by the one shared
locator, :func:`trpkit.loading.lines.line_of`) and the field. Import the submodules lazily, inside
the function that needs the data: pydantic costs a tenth of a second to import.
"""
