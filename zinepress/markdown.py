"""Markdown to HTML for zine text, refusing raw HTML and images from outside the content folder."""

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ZineError
from .paths import display


LINK_SCHEMES = ("https://", "http://", "mailto:")
REFUSED_LINK = re.compile(r"\]\(\s*<?([a-zA-Z][\w+.-]*:[^)\s>]*)")


def word_count(text: str) -> int:
    return len(re.findall(r"\w[\w'’-]*", text))


IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"),
                    (b"GIF89a", "gif"), (b"RIFF", "webp"))


def image_kind(path: Path) -> str | None:
    """The image format a file's first bytes announce (an SVG by its text), or None."""
    with open(path, "rb") as stream:
        head = stream.read(512)
    for signature, kind in IMAGE_SIGNATURES:
        if head.startswith(signature) and (kind != "webp" or head[8:12] == b"WEBP"):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "svg" if text.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower() else None


class MarkdownRenderer:
    """Renders one content file's Markdown; errors name that file and the line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent.resolve()
        self.where = display(path)
        # html is parsed (not passed through) so that raw HTML can be found and refused.
        self.md = MarkdownIt("commonmark", {"html": True, "typographer": False})

    def render(self, text: str, first_line: int) -> str:
        tokens = self.md.parse(text)
        for token in tokens:
            self.check(token, first_line)
        return self.md.renderer.render(tokens, self.md.options, {})

    def render_inline(self, text: str, line: int) -> str:
        tokens = self.md.parseInline(text)
        for token in tokens:
            self.check(token, line)
        return self.md.renderer.render(tokens[0].children or [], self.md.options, {})

    def check(self, token: Token, first_line: int, line: int | None = None) -> None:
        """Refuse raw HTML and foreign images; point image sources at the checked file."""
        if token.map:
            line = first_line + token.map[0]
        line = line or first_line
        if token.type in ("html_block", "html_inline"):
            raise ZineError(f"{self.where}:{line}", "raw HTML is not allowed in content",
                            "use Markdown only (emphasis, lists, links, local images)")
        if token.type == "link_open":
            self.check_link(str(token.attrGet("href") or ""), line)
        refused = REFUSED_LINK.search(token.content) if token.type == "text" else None
        if refused:   # markdown-it leaves links with unsafe schemes (file:, javascript:) as text
            self.check_link(refused.group(1), line)
        if token.type == "image":
            token.attrSet("src", self.local_image(str(token.attrGet("src") or ""), line))
            if not token.content.strip():
                raise ZineError(f"{self.where}:{line}", "image without a description",
                                "write it as ![what the image shows](file.png)")
        for child in token.children or []:
            self.check(child, first_line, line)

    def check_link(self, href: str, line: int) -> None:
        """Links must go somewhere a reader can follow from paper: the web or a mail address."""
        if href.startswith("tel:"):   # a number here would skip the checks every crisis line gets
            raise ZineError(f"{self.where}:{line}", f"phone link '{href}' in the text",
                            "give the number as a crisis line (--contacts), where it is validated and sourced")
        if not href.startswith(LINK_SCHEMES):
            raise ZineError(f"{self.where}:{line}", f"link to '{href}' cannot be followed from a handout",
                            "link to an https:// page (it is printed beside the text) or mailto:")

    def local_image(self, src: str, line: int) -> str:
        """A file URL for an image inside the content folder; anything else is refused."""
        target = (self.folder / src).resolve()
        inside = target.is_relative_to(self.folder)
        if ":" in src or src.startswith("/") or not inside or not target.is_file():
            raise ZineError(f"{self.where}:{line}", f"image '{src}' is not a file inside the content folder",
                            "copy the image into the folder and refer to it by its file name")
        if not image_kind(target):   # WeasyPrint would leave out a file it cannot read as an image
            raise ZineError(f"{self.where}:{line}", f"'{src}' is not a PNG, JPEG, GIF, WebP or SVG image",
                            "save the image in one of those formats")
        return target.as_uri()
