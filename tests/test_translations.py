"""Translations: France, Germany and Brazil get the zine in their own language; every translation follows
the English one section by section, paragraph by paragraph and sentence by sentence, keeps each source's
original title beside its translated one, and records who made it and whether a native speaker reviewed it."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, ROOT, front_matter, manifest, pdf_text, shared_out, squash
from test_compact_text import blocks, sentences
from test_print import structure
from zinepress.content import load_content

TRANSLATIONS = ["de", "es", "fr", "pt"]
# Per region: its language, and phrases written by hand that only the zine in that language prints (a
# heading of the compact text, the signal-scrambling sentence, the crisis heading of the strings).
REGIONS = {
    "FR": ("fr", ["La recherche montre", "brouillage des signaux", "Si tu as besoin de parler"]),
    "DE": ("de", ["Die Forschung zeigt", "Signalverwirrung", "Wenn du reden möchtest"]),
    "BR": ("pt", ["A pesquisa mostra", "embaralhamento de sinais", "Se você precisar conversar"]),
}
ENGLISH = ["Research shows", "Self-harm is not the same as suicidal ideation or an attempt", "If you need to talk"]
ENGLISH_FIELDS = ("original_title:", "by:")    # front matter that stays in English
ORIGINAL_TITLES = ["How Pain Can Make You Feel Better", "How Self-Harm Provokes the Brain Into Feeling Better",
                   "There's a Scientific Reason Why Self-Harm Makes Some People Feel Better"]


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    """Each region's mini zine, built with no --lang: the region picks the language (one batch build)."""
    # Brazil's poster too: its first line has a chat page, so the poster carries a QR code.
    out = shared_out(tmp_path_factory, "--region", ",".join(REGIONS), "--format", "minizine,poster")
    folders = {manifest(path.parent)["region"]: path.parent for path in out.glob("*/*/manifest.json")}
    assert set(folders) == set(REGIONS), folders
    return folders


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_the_region_gets_the_zine_in_its_own_language(editions, region):
    language, phrases = REGIONS[region]
    assert manifest(editions[region])["lang"] == language
    text = squash(pdf_text(editions[region] / "minizine-pages.pdf"))
    for phrase in phrases:
        assert squash(phrase) in text, (region, phrase)
    for phrase in ENGLISH:
        assert squash(phrase) not in text, (region, phrase)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_sources_print_their_original_titles(editions, region):
    text = squash(pdf_text(editions[region] / "minizine-pages.pdf"))
    for title in ORIGINAL_TITLES:
        assert squash(title) in text, (region, title)


def test_the_poster_s_qr_code_is_described_in_the_edition_s_language(editions):
    tags = structure(PdfReader(editions["BR"] / "poster.pdf").trailer["/Root"]["/StructTreeRoot"], [])
    figures = [alt for kind, alt in tags if kind == "/Figure"]
    assert any(alt.startswith("Código QR: link para https://") for alt in figures), figures


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translation_follows_the_english_section_by_section_and_sentence_by_sentence(language):
    english, translated = load_content(CONTENT, "en"), load_content(CONTENT, language)
    assert len(translated.sections) == len(english.sections)
    for en, other in zip(english.sections, translated.sections):
        for part in ("html", "short_html"):
            en_blocks, other_blocks = blocks(getattr(en, part)), blocks(getattr(other, part))
            assert len(other_blocks) == len(en_blocks), (language, en.heading, part)
            counts = [(len(sentences(a)), len(sentences(b))) for a, b in zip(en_blocks, other_blocks)]
            assert all(a == b for a, b in counts), (language, en.heading, part, counts)
        assert bool(other.heading) == bool(en.heading)
    assert len(translated.key_points) == len(english.key_points)
    assert bool(translated.summary) == bool(english.summary) and bool(translated.content_note)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translated_source_keeps_its_id_and_original_title(language):
    english = {source.id: source.title for source in load_content(CONTENT, "en").sources}
    translated = load_content(CONTENT, language).sources
    assert [source.id for source in translated] == list(english)
    for source in translated:
        assert source.original_title == english[source.id], (language, source.id)
        assert source.title != source.original_title, (language, source.id, "the title is not translated")


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translation_records_its_origin_and_review(language):
    meta = front_matter(CONTENT / f"{language}.md")
    translation = meta.get("translation")
    assert isinstance(translation, dict), language
    assert translation.get("from") == "en"
    assert isinstance(translation.get("reviewed"), bool)
    assert isinstance(translation.get("by"), str) and translation["by"].strip()
    if not translation["reviewed"]:      # then the note says so too, for whoever reads the file
        assert "not reviewed by a native speaker" in translation["by"]


def test_english_is_the_original():
    assert "translation" not in front_matter(CONTENT / "en.md")


def test_french_text_keeps_its_no_break_spaces_before_punctuation():
    # French sets a (narrow) no-break space before : ; ! ? and inside « »; an ordinary one lets a line
    # start with the colon.
    for path in (ROOT / "content" / "strings" / "fr.yaml", CONTENT / "fr.md"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip().startswith(ENGLISH_FIELDS):
                continue
            assert not re.search(r" [:;!?»]|« ", line), f"{path.name}:{number}: {line}"
            assert not re.search(r"\w[;!?»]|«\w", line), f"{path.name}:{number}: {line}"


def test_spanish_uses_one_quotation_style():
    for path in (ROOT / "content" / "strings" / "es.yaml", CONTENT / "es.md"):
        text = path.read_text(encoding="utf-8")
        assert "«" not in text and "»" not in text, path.name
