"""QR codes for templates: which link an edition points to, and that link as a vector SVG `data:` URL."""

import segno

from .edition import Edition


def qr_link(edition: Edition) -> str | None:
    """The content's own `link:`, else the first crisis line's chat address, else None (no QR code)."""
    if edition.content.link:
        return edition.content.link
    return next((line.chat for line in edition.lines if line.chat), None)


def qr_svg(link: str) -> str:
    """The link as a QR code: an SVG `data:` URL for an <img>, drawn as vector paths, with a quiet zone."""
    code = segno.make(link, error="m")
    return code.svg_data_uri(dark="#000", light="#fff", border=4, omitsize=True)


# Registered as Jinja filters by html.environment: `edition | qr_link`, `link | qr_svg`.
FILTERS = {"qr_link": qr_link, "qr_svg": qr_svg}
