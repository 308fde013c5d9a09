"""The errors zinepress reports to its users as one line, without a traceback."""


class ZineError(Exception):
    """A problem with the user's input: printed as one line, exit status 1."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where, self.problem, self.fix = where, problem, fix
        super().__init__(self.line())

    def __reduce__(self):   # crosses from a worker process to the parent intact
        return type(self), (self.where, self.problem, self.fix)

    def line(self) -> str:
        text = f"{self.where}: {self.problem}"
        return f"{text}; {self.fix}" if self.fix else text


class UsageError(Exception):
    """A command-line mistake: exit status 2."""
