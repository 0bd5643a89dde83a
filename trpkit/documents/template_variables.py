"""The variables of a Word template, as dotted paths: what its Jinja reads, what a context provides.

``exhibits[].number`` is the ``number`` of each item of the ``exhibits`` list. The template linter
compares the two sets; the drafting context lists what it provides the same way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes


def jinja_source(path: Path) -> str:
    """The Jinja source docxtpl would render (body, headers, footers), one Word paragraph per line."""
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            parts.append(tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob))))
    return "".join(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml) for xml in parts)


class _Collector:
    """Walk a Jinja AST and collect variable paths: ``exhibits[].number``, ``person.name``."""

    def __init__(self) -> None:
        self.paths: set[str] = set()  # every path read
        self.covering: set[str] = set()  # paths read as a whole value (a loop's list is not: its items are)

    def path_of(self, node: nodes.Node, scope: dict[str, str]) -> str | None:
        if isinstance(node, nodes.Name):
            if node.name == "loop":
                return None
            return scope.get(node.name, node.name)
        if isinstance(node, nodes.Getattr):
            base = self.path_of(node.node, scope)
            return f"{base}.{node.attr}" if base else None
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            base = self.path_of(node.node, scope)
            return f"{base}.{node.arg.value}" if base else None
        return None

    def visit(self, node: nodes.Node, scope: dict[str, str]) -> None:
        if isinstance(node, nodes.For):
            iterable = self.path_of(node.iter, scope)
            if iterable is not None and not iterable.startswith("<local"):
                self.paths.add(iterable)
            else:
                self.visit(node.iter, scope)
            inner = dict(scope)
            for target in (
                node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]
            ):
                inner[target.name] = f"{iterable}[]" if iterable else f"<local {target.name}>"
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for target in (
                node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]
            ):
                scope[target.name] = f"<local {target.name}>"
            for child in node.iter_child_nodes(exclude=("target",)):
                self.visit(child, scope)
            return
        path = self.path_of(node, scope)
        if path is not None:
            if not path.startswith("<local"):
                self.paths.add(path)
                self.covering.add(path)
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def referenced_paths(source: str, *, covering: bool = False) -> set[str]:
    """Every variable path the template reads (raises TemplateSyntaxError on bad syntax).

    With ``covering``, only the paths read as whole values (so a list that is only looped over does
    not count as using every field of its items).
    """
    collector = _Collector()
    collector.visit(Environment().parse(source), {})
    return collector.covering if covering else collector.paths


def context_paths(context: Any, prefix: str = "") -> tuple[set[str], set[str]]:
    """(all paths, leaf paths) of a context; an empty list is 'opaque' (anything under it is allowed)."""
    every: set[str] = set()
    leaves: set[str] = set()
    if prefix:
        every.add(prefix)
    if isinstance(context, dict):
        if not context and prefix:
            leaves.add(prefix)
        for key, value in context.items():
            sub_every, sub_leaves = context_paths(value, f"{prefix}.{key}" if prefix else str(key))
            every |= sub_every
            leaves |= sub_leaves
    elif isinstance(context, list):
        item = f"{prefix}[]"
        every.add(item)
        if not context:
            every.add(item + ".*")
            leaves.add(prefix)
        for value in context:
            sub_every, sub_leaves = context_paths(value, item)
            every |= sub_every
            leaves |= sub_leaves
    elif prefix:
        leaves.add(prefix)
    return every, leaves
