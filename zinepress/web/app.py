"""The web app's pages and routes: the form, builds and their previews, downloads, and the gallery.

Files are found through manifests (gallery.find_file): a URL's parts are compared with what manifests
list and never joined into a path, so `../` or an absolute path finds nothing (404)."""

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException

from .. import gallery
from ..batch import Job
from ..contacts import load_region
from ..edition import DEFAULT_CONTENT, DEFAULT_REGION, Selection
from ..errors import ZineError
from . import security
from .builds import Build, Builder
from .choices import PAPERS, Choices, Request, load_choices, parse_request
from .lines import (
    FIELDS,
    LABELS,
    UPLOAD_LIMIT,
    FormError,
    Row,
    contacts_yaml,
    rows_from_form,
    rows_from_upload,
    validate,
)

MAX_REQUEST = 256_000      # bytes: the form with fifty lines, or an upload, is far smaller
CONTACTS = "contacts.yaml"


@dataclass
class State:
    out: Path
    choices: Choices
    builder: Builder


def create_app(out: Path) -> Flask:
    app = Flask(__name__)
    # Flask escapes only templates named .html; ours are .html.j2, and they print names and messages
    # that come from uploaded files.
    app.jinja_env.autoescape = True
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST, MAX_FORM_MEMORY_SIZE=MAX_REQUEST, MAX_FORM_PARTS=1000,
                      ZINEPRESS_HOSTS=set(), ZINEPRESS_ANY_ADDRESS=False, ZINEPRESS_PORT=0)
    app.url_map.merge_slashes = False    # '//etc/passwd' is a 404, not a redirect
    app.extensions["zinepress"] = State(out.resolve(), load_choices(), Builder(out.resolve()))
    security.install(app)
    register_pages(app)
    register_builds(app)
    register_files(app)
    app.register_error_handler(HTTPException, http_error)
    return app


def state() -> State:
    return current_app.extensions["zinepress"]


def http_error(error: HTTPException):
    """Errors as one line: JSON for the page's scripts, plain text otherwise."""
    message = error.description if error.code != 413 else \
        f"too large: a request may hold at most {MAX_REQUEST // 1000} KB, a lines file {UPLOAD_LIMIT // 1000} KB"
    if request.accept_mimetypes.best == "application/json" or request.method == "POST":
        return jsonify(message=f"error: {message}"), error.code
    return Response(f"{error.code} {error.name}: {message}\n", error.code, mimetype="text/plain")


def register_pages(app: Flask) -> None:
    @app.get("/")
    def index():
        choices = state().choices
        return render_template("page.html.j2", choices=choices, papers=PAPERS, fields=FIELDS, labels=LABELS,
                               default_content=DEFAULT_CONTENT, default_region=DEFAULT_REGION)

    @app.get("/gallery")
    def gallery_page():
        out = state().out
        links = gallery.Links(
            file=lambda edition, file: url_for("file", key=f"{edition.key}/{file.name}"),
            thumbnail=lambda edition, file: url_for("thumbnail", key=f"{edition.key}/{file.name}"),
            zip=lambda edition: url_for("edition_zip", key=edition.key),
            stylesheet=url_for("gallery_css"))
        return gallery.render(gallery.find_editions(out), links)

    @app.get("/gallery.css")
    def gallery_css():
        return send_file(gallery.TEMPLATES / "gallery.css", mimetype="text/css")

    @app.post("/lines.yaml")
    def download_lines():
        rows, settings = form_rows()
        return Response(contacts_yaml(rows, settings), mimetype="application/yaml",
                        headers={"Content-Disposition": 'attachment; filename="lines.yaml"'})

    @app.post("/lines/upload")
    def upload_lines():
        upload = request.files.get("file")
        if upload is None:
            return jsonify(message="error: Upload lines: no file arrived; choose the YAML file again"), 400
        try:
            rows, settings = rows_from_upload(upload.read(UPLOAD_LIMIT + 1), upload.filename or "")
        except ZineError as error:
            return jsonify(message=f"error: {error.line()}"), 422
        errors = []
        region = request.form.get("region", DEFAULT_REGION)
        if rows and region in state().choices.regions:
            errors = check_rows(rows, settings, region)[0]
        return jsonify(rows=[row.as_json() for row in rows], settings=json.dumps(settings) if settings else "",
                       errors=[error.as_json() for error in errors])


def form_rows() -> tuple[list[Row], dict]:
    try:
        return rows_from_form(request.form)
    except FormError as error:
        abort(400, description=str(error))


def check_rows(rows: list[Row], settings: dict, region: str, folder: Path | None = None):
    """Field errors and the command line's line for the first, checking the rows as a contacts file."""
    if folder is not None:
        return validate(rows, settings, load_region(region, []), folder / CONTACTS)
    with tempfile.TemporaryDirectory(prefix="zinepress-upload-") as scratch:
        return validate(rows, settings, load_region(region, []), Path(scratch) / CONTACTS)


def register_builds(app: Flask) -> None:
    @app.post("/build")
    def start_build():
        try:
            asked = parse_request(request.form, state().choices)
            rows, settings = rows_from_form(request.form)
        except FormError as error:
            return jsonify(message=f"error: {error}"), 400
        builder = state().builder
        build_id, folder = builder.new_folder()
        contacts = None
        if rows or settings:
            errors, first = check_rows(rows, settings, asked.region, folder)
            if errors:
                shutil.rmtree(folder, ignore_errors=True)
                return jsonify(message=first, errors=[error.as_json() for error in errors]), 422
            contacts = folder / CONTACTS
        builder.submit(Build(build_id, folder, job_for(asked, contacts)))
        return jsonify(id=build_id, status=url_for("build_status", build_id=build_id)), 202

    @app.get("/build/<build_id>")
    def build_status(build_id: str):
        return jsonify(found_build(build_id).status())

    @app.get("/build/<build_id>/result")
    def build_result(build_id: str):
        build = found_build(build_id)
        if build.state != "done":
            abort(404, description="this build has not finished")
        edition = next((e for e in gallery.find_editions(state().out) if e.key == build.edition), None)
        if edition is None:
            abort(404, description="this build's files are gone")
        return render_template("result.html.j2", build=build, edition=edition)

    @app.get("/build/<build_id>/pages/<name>/<int:number>.png")
    def page_image(build_id: str, name: str, number: int):
        images = found_build(build_id).pages.get(name) or []
        if not 1 <= number <= len(images):
            abort(404, description="no such page")
        return Response(images[number - 1].png, mimetype="image/png")


def job_for(asked: Request, contacts: Path | None) -> Job:
    """The job `make_zine.py build` makes from the same choices (commands.build_jobs; the options the page
    does not offer at their defaults)."""
    selection = Selection(content=asked.content, region=asked.region, language=asked.language,
                          paper=asked.paper, contacts=contacts)
    options = {"tabs": True, "grayscale": asked.grayscale, "creep": 0.0, "bleed": asked.bleed, "pdfx": False,
               "poster_size": None}
    return Job(selection, options, asked.formats)


def found_build(build_id: str) -> Build:
    build = state().builder.get(build_id)
    if build is None:
        abort(404, description="no such build (the server may have been restarted); build again")
    return build


def register_files(app: Flask) -> None:
    @app.get("/files/<path:key>")
    def file(key: str):
        edition_key, _, name = key.rpartition("/")
        found = gallery.find_file(state().out, edition_key, name)
        if found is None:
            abort(404, description="no such file in any manifest of this output folder")
        return send_file(found[2], mimetype="application/pdf", as_attachment=True, download_name=name)

    @app.get("/thumbnails/<path:key>")
    def thumbnail(key: str):
        edition_key, _, name = key.rpartition("/")
        found = gallery.find_file(state().out, edition_key, name)
        if found is None:
            abort(404, description="no such file in any manifest of this output folder")
        made = gallery.thumbnail_path(state().out, found[1])
        if made is None or not made.is_file():   # drawn on the build thread, the only one using PDFium
            made = state().builder.on_worker(gallery.thumbnail, state().out, found[0], found[1]).result()
        if made is None:
            abort(404, description="no thumbnail: the file is not the one its manifest describes")
        return send_file(made, mimetype="image/png")

    @app.get("/zip/<path:key>")
    def edition_zip(key: str):
        edition = next((e for e in gallery.find_editions(state().out) if e.key == key), None)
        if edition is None:
            abort(404, description="no such edition in this output folder")
        return send_file(io.BytesIO(edition_archive(state().out, edition)), mimetype="application/zip",
                         as_attachment=True, download_name=edition.zip_name)


def edition_archive(out: Path, edition: gallery.GalleryEdition) -> bytes:
    """The edition's listed files and its manifest, in a folder named after the edition."""
    buffer = io.BytesIO()
    top = edition.zip_name.removesuffix(".zip")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in edition.files:
            found = gallery.find_file(out, edition.key, file.name)
            if found:
                archive.write(found[2], f"{top}/{file.name}")
        archive.write(edition.folder / gallery.MANIFEST, f"{top}/{gallery.MANIFEST}")
    return buffer.getvalue()
