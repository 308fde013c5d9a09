"""The errors zinepress reports to its users as one line, without a traceback."""


class ZineError(Exception):
    """A problem with the user's input: printed as one line, exit status 1."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        # A message quotes the user's value: a 100,000-letter one must not become a 100 KB line.
        self.where, self.problem, self.fix = shorten(where), shorten(problem), fix
        super().__init__(self.line())

    def __reduce__(self):   # crosses from a worker process to the parent intact
        return type(self), (self.where, self.problem, self.fix)

    def line(self) -> str:
        text = f"{self.where}: {self.problem}"
        return f"{text}; {self.fix}" if self.fix else text


def shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters in all)"


class UsageError(Exception):
    """A command-line mistake: exit status 2."""
