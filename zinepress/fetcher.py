"""A WeasyPrint URL fetcher that reads only the project's own files: no network, no other file://."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from .paths import FONTS_DIR, LAYOUTS_DIR
from .weasy import FatalURLFetchingError, URLFetcher


class RefusedURL(FatalURLFetchingError):
    """A document asked for something outside the allowed folders; the build stops."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"refused to fetch {url}")


class SafeFetcher(URLFetcher):
    """Allows `data:` URLs and files under layouts/, fonts/ and the content folder only."""

    def __init__(self, content_folder: Path) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [LAYOUTS_DIR.resolve(), FONTS_DIR.resolve(), content_folder.resolve()]

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise RefusedURL(url)
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise RefusedURL(url)
        return super().fetch(url, headers)
