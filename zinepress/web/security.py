"""A server is a new way in: only the address it serves, only same-page form posts, and headers that
keep the browser from running or framing anything else.

DNS rebinding: a web page on an attacker's domain can make that domain resolve to 127.0.0.1 and then
read this app as if it were its own. Its requests still carry the attacker's name in the Host header,
so every request whose Host is not the served address is refused."""

import ipaddress
import socket

from flask import Flask, abort, request

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values this server answers to: the served address with its port (and the other
    loopback names when it serves loopback). Serving every interface (0.0.0.0), any IP address is
    accepted, since rebinding needs a domain name, plus this machine's own names."""
    names = {host}
    if is_loopback(host):
        names |= {"127.0.0.1", "localhost"} | ({"[::1]"} if host == "::1" else set())
    if host in ("0.0.0.0", "::", ""):
        names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    names = {f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names}
    return {f"{name}:{port}".lower() for name in names} | ({name.lower() for name in names} if port == 80 else set())


def host_ok(header: str, allowed: set[str], any_address: bool, port: int) -> bool:
    header = header.lower()
    if header in allowed:
        return True
    if not any_address:
        return False
    name, _, given = header.rpartition(":")
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return given == str(port)


def install(app: Flask) -> None:
    """Check every request's Host (and a post's Origin), and add the safety headers to every answer."""

    @app.before_request
    def check_host():
        config = app.config
        if not host_ok(request.headers.get("Host", ""), config["ZINEPRESS_HOSTS"],
                       config["ZINEPRESS_ANY_ADDRESS"], config["ZINEPRESS_PORT"]):
            abort(400, description="this server answers only to the address it was started on")
        if request.method == "POST" and not same_origin():
            abort(403, description="forms are accepted only from this app's own page")

    @app.after_request
    def add_headers(response):
        response.headers.update(HEADERS)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def same_origin() -> bool:
    """A post from this app's own page. Browsers send Sec-Fetch-Site, which no page can forge, and
    Origin ("null" when they hide it); a client that sends neither (a script, curl) is not a browser
    that another site could be steering."""
    site, origin = request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin")
    if site is not None and site not in ("same-origin", "none"):
        return False
    if origin == "null":
        return site == "same-origin"
    return origin is None or origin == f"{request.scheme}://{request.host}"
