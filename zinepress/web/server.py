"""Starting and stopping the web app's server (Werkzeug's, threaded: one person's browser tabs)."""

import logging
import socket
import sys
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from ..errors import ZineError
from .app import create_app
from .security import allowed_hosts, is_loopback


def start(host: str, port: int, out: Path) -> tuple[BaseWSGIServer, str]:
    """A server bound to host:port (port 0: any free port) and its address; not yet serving."""
    listening = listen(host, port)
    port = listening.getsockname()[1]
    app = create_app(out)
    server = make_server(host, port, app, threaded=True, fd=listening.fileno())
    listening.close()   # the server holds its own copy
    app.config.update(ZINEPRESS_HOSTS=allowed_hosts(host, port), ZINEPRESS_PORT=port,
                      ZINEPRESS_ANY_ADDRESS=host in ("0.0.0.0", "::", ""))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
    return server, f"http://{shown}:{port}/"


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, or one line saying why not (Werkzeug would print two and exit)."""
    try:
        listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    except OSError as error:
        raise ZineError(f"--host {host}", f"cannot listen there ({error.strerror or error})",
                        "give an address of this computer, e.g. 127.0.0.1") from None
    try:
        listening.bind((host, port))
        listening.listen(64)
    except OSError as error:
        listening.close()
        raise ZineError(f"--host {host} --port {port}", f"cannot listen there ({error.strerror or error})",
                        "choose another --port (e.g. 8001) or stop the program using it, and give an "
                        "address of this computer") from None
    return listening


def serve(host: str, port: int, out: Path) -> None:
    """Serve until Ctrl-C."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no line per request
    server, url = start(host, port, out)
    if not is_loopback(host):
        print(f"warning: --host {host}: anyone who can reach this machine on port {server.port} can "
              f"use this page and download every edition in {out}; serve on 127.0.0.1 unless you mean that",
              file=sys.stderr)
    print(f"zinepress: open {url} in your browser (Ctrl-C stops the server); editions go to {out}", flush=True)
    try:
        server.serve_forever()   # Werkzeug's returns on Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        stop_builds(server)
    print("\nstopped", file=sys.stderr)


def stop_builds(server: BaseWSGIServer) -> None:
    """Let the build under way finish writing (its folder is made whole or not at all); drop the queue."""
    server.app.extensions["zinepress"].builder.worker.shutdown(wait=True, cancel_futures=True)
