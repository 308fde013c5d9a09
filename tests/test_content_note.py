"""A content note on every format, on the first thing a reader sees: what the zine covers (the content's
note) and where this format prints the crisis lines; and the card's back opens with the crisis intro that
every other format prints above its lines."""

from pathlib import Path

import pdfplumber
import pytest
import yaml

from conftest import CONTENT, ROOT, build_here, front_matter, shared_edition, squash


def strings(language: str) -> dict:
    return yaml.safe_load((ROOT / "content" / "strings" / f"{language}.yaml").read_text(encoding="utf-8"))


# The file a reader opens, and where the format says the lines are (a key of content/strings/*.yaml).
FORMATS = {"booklet": ("booklet-pages.pdf", "lines_on_back_cover"),
           "minizine": ("minizine-pages.pdf", "lines_on_back_cover"),
           "onepager": ("onepager.pdf", "lines_below"),
           "poster": ("poster.pdf", "lines_below"),
           "card": ("card-pages.pdf", "lines_on_back")}


@pytest.fixture(scope="module")
def us(tmp_path_factory) -> Path:
    return shared_edition(tmp_path_factory)                  # the default edition, every format


@pytest.fixture(scope="module")
def spanish_card(tmp_path_factory) -> Path:
    return build_here(tmp_path_factory.mktemp("note-es"), "--region", "ES", "--format", "card")


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def first_sentence(note: str) -> str:
    return note.split(". ")[0]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_the_first_page_names_the_subject_and_where_the_lines_are(us, name):
    file, where = FORMATS[name]
    first = squash(page_texts(us / file)[0])
    meta = front_matter(CONTENT / "en.md")
    # A wallet card's title and summary name the subject (with the content's short note, if it has one);
    # every other format prints the content note, which names it.
    names = ([meta["title"], meta["summary"], *filter(None, [meta.get("content_note_short")])] if name == "card"
             else [first_sentence(meta["content_note"])])
    for text in names:
        assert squash(text) in first, (name, text)
    assert "selfharm" in squash(" ".join(names))
    assert squash(strings("en")[where]) in first, (name, where)


@pytest.mark.parametrize("name", ["booklet", "minizine", "onepager", "poster"])
def test_formats_with_room_print_the_whole_note(us, name):
    text = squash("".join(page_texts(us / FORMATS[name][0])))
    assert squash(front_matter(CONTENT / "en.md")["content_note"]) in text, name


def test_the_lines_are_where_each_note_says(us):
    """The back cover (booklet, mini zine), below the note (one-pager, poster), the card's back."""
    heading = squash(strings("en")["crisis_heading"])
    emergency = squash(strings("en")["emergency"].split("{")[0])
    for name in ("booklet", "minizine", "card"):
        last = squash(page_texts(us / FORMATS[name][0])[-1])
        assert heading in last and emergency in last, name
    for name in ("onepager", "poster"):
        front = page_texts(us / FORMATS[name][0])[0]
        note_at = squash(front).index(squash(strings("en")["lines_below"]))
        assert squash(front).index(heading) > note_at, name


def test_the_card_back_opens_with_the_crisis_intro(us):
    back = squash(page_texts(us / "card-pages.pdf")[1])
    intro = strings("en")["crisis_intro"]
    assert "You don't have to be in crisis to call or text." in intro
    assert squash(intro) in back
    assert back.index(squash(strings("en")["crisis_heading"])) < back.index(squash(intro))


def test_the_spanish_card_says_where_its_lines_are_and_prints_the_intro(spanish_card):
    front, back = page_texts(spanish_card / "card-pages.pdf")
    assert squash(front_matter(CONTENT / "es.md")["title"]) in squash(front)
    assert squash(strings("es")["lines_on_back"]) in squash(front)
    assert squash(strings("es")["crisis_intro"]) in squash(back)


def test_every_language_says_where_the_lines_are():
    english = strings("en")
    for path in sorted((ROOT / "content" / "strings").glob("*.yaml")):
        own = strings(path.stem)
        for key in ("lines_on_back_cover", "lines_below", "lines_on_back", "publisher_label", "publisher_sources"):
            assert own.get(key), (path.name, key)
            assert path.stem == "en" or own[key] != english[key], (path.name, key, "still English")
