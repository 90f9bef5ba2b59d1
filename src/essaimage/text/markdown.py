"""The Markdown fields of a descriptor, re-written for a Markdown kit from what the parser read.

A user's text is parsed by markdown-it (CommonMark, raw HTML off) and written again from its
syntax tree: whatever the source looked like, the kit holds only paragraphs, headings (pushed
below the kit's own), lists, quotes, code, emphasis and links. Raw HTML stays visible text,
images become their description, and only the links the link policy allows (`links`: http(s),
mailto, `#anchor`) remain links. Nothing is matched with regular expressions on the user's text.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .links import is_safe_link

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

# ASCII punctuation that means something in Markdown: escaped wherever it is plain text.
_SPECIAL = set("\\`*_[]<>#!|&~")


@functools.cache
def parser() -> MarkdownIt:
    """The one CommonMark parser of descriptors' texts (raw HTML off), for both kits.

    Every link destination is read as a link (markdown-it would leave `javascript:` or `file:`
    ones as source text): the link policy (`links.is_safe_link`) then decides, in both kits, and
    a refused link becomes its text."""
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
    markdown.validateLink = _any_link  # type: ignore[method-assign]
    return markdown


def _any_link(url: str) -> bool:
    return True


@functools.lru_cache(maxsize=512)
def parsed(text: str) -> tuple[Token, ...]:
    """The tokens of a text, parsed once for the Markdown and the HTML kit (never modify them).

    Remembered: a site renders each descriptor's texts in several pages.
    """
    return tuple(parser().parse(text))


@functools.lru_cache(maxsize=512)
def safe_markdown(text: str, heading_shift: int) -> str:
    """`text` (CommonMark) re-written safely, its headings `heading_shift` levels lower."""
    from markdown_it.tree import SyntaxTreeNode

    tree = SyntaxTreeNode(list(parsed(text)))
    return _Writer(heading_shift).blocks(tree.children, tight=False)


class _Writer:
    def __init__(self, heading_shift: int):
        self.shift = heading_shift

    def blocks(self, nodes: list[SyntaxTreeNode], tight: bool) -> str:
        return ("\n" if tight else "\n\n").join(self.block(node, tight) for node in nodes)

    def block(self, node: SyntaxTreeNode, tight: bool = False) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node)
        if kind == "heading":
            level = min(6, int(node.tag[1]) + self.shift)
            return "#" * level + " " + self.inline(node)
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node)
        if kind == "blockquote":
            inner = self.blocks(node.children, tight=False)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if kind == "fence":
            language = "".join(
                c for c in node.info.strip().split(" ")[0] if c.isalnum() or c in "+-_"
            )
            return f"{node.markup}{language}\n{node.content}{node.markup}"
        if kind == "code_block":
            return "\n".join(f"    {line}" for line in node.content.rstrip("\n").split("\n"))
        if kind == "hr":
            return "---"
        return _escape(node.content)  # a block this kit does not know: its text, inert

    def list(self, node: SyntaxTreeNode) -> str:
        tight = all(
            child.hidden for item in node.children for child in item.children
            if child.type == "paragraph"
        )  # fmt: skip
        number = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 0
        items = []
        for item in node.children:
            if node.type == "ordered_list":
                marker = f"{number}{node.markup or '.'} "
                number += 1
            else:
                marker = f"{node.markup or '-'} "
            body = self.blocks(item.children, tight).split("\n")
            indent = " " * len(marker)
            lines = [marker + body[0]] + [indent + line if line else "" for line in body[1:]]
            items.append("\n".join(lines))
        return ("\n" if tight else "\n\n").join(items)

    def inline(self, node: SyntaxTreeNode) -> str:
        out = "".join(self.span(child) for child in _inline_children(node))
        return "\n".join(_escape_line_start(line) for line in out.split("\n"))

    def span(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "text":
            return _escape(node.content)
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return "\\\n"
        if kind == "code_inline":
            pad = (
                " "
                if node.content.startswith(("`", " ")) or node.content.endswith(("`", " "))
                else ""
            )
            return f"{node.markup}{pad}{node.content}{pad}{node.markup}"
        if kind in ("em", "strong"):
            inner = "".join(self.span(child) for child in node.children)
            return f"{node.markup}{inner}{node.markup}"
        if kind == "link":
            inner = "".join(self.span(child) for child in node.children)
            href = str(node.attrs.get("href", ""))
            if is_safe_link(href) and _plain_url(href):
                return f"[{inner}](<{href}>)"
            return inner  # a javascript:, smb:, relative or //host link: its text only
        if kind == "image":
            return "".join(self.span(child) for child in node.children)  # its description
        return _escape(node.content)


def _inline_children(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    inline = node.children[0] if node.children and node.children[0].type == "inline" else node
    return list(inline.children)


def _plain_url(href: str) -> bool:
    """A link target that cannot end the `<…>` it is written in, nor hold a line break."""
    return all(c.isprintable() and c not in "<>\\ " for c in href)


def _escape(text: str) -> str:
    """Plain text made inert: Markdown punctuation backslash-escaped."""
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _escape_line_start(line: str) -> str:
    """A line of a paragraph that would start a list, a quote or a heading is escaped."""
    stripped = line.lstrip(" ")
    if stripped[:1] in ("-", "+", "="):  # a plain-text « * » is already escaped
        index = len(line) - len(stripped)
        return line[:index] + "\\" + line[index:]
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if 0 < digits < 10 and stripped[digits : digits + 1] in (".", ")"):
        index = len(line) - len(stripped) + digits
        return line[:index] + "\\" + line[index:]
    return line
