"""The compact texts (the '::: short' blocks), the card's summary and the poster's key points are the zine's
own sentences, or trimmed ones, and keep the zine's caveats in every language.

A trimmed sentence is a contiguous part of a full-text sentence, of the sentence with its parentheticals
left out, or both. The caveats are written here by hand, per language, from the zine's text."""

import re
from html.parser import HTMLParser

import pytest

from conftest import CONTENT
from zinepress.content import Content, load_content

# Per language: each caveat the compact texts must keep, as the full text says it.
CAVEATS = {
    "en": {
        "suicide attempt": "tools and methods used while self-harming may be present in a suicide attempt",
        "regulating emotions": "Folks with the greatest difficulties in regulating emotions can withstand the most pain",
        "self-criticism": "Self-criticism increases our ability to withstand pain longer",
        "feeling better": "The introduction + removal of something unpleasant makes people feel better",
        "signal-scrambling": "a sign of “signal-scrambling between the anterior insula",
        "relapse": "If we hold ourselves to high standards of not relapsing at all",
        "supporters": "focus on honoring that person's agency and recognizing that self-harm is not the problem",
    },
    "es": {
        "suicide attempt": "las herramientas y los métodos que se usan al autolesionarse pueden estar presentes en un "
                           "intento de suicidio",
        "regulating emotions": "Las personas con mayores dificultades para regular sus emociones pueden soportar más dolor",
        "self-criticism": "La autocrítica aumenta nuestra capacidad de soportar el dolor",
        "feeling better": "La introducción + eliminación de algo desagradable hace que las personas se sientan mejor",
        "signal-scrambling": "señal de una “interferencia de señales entre la ínsula anterior",
        "relapse": "Si nos exigimos estándares altos de no recaer en absoluto",
        "supporters": "céntrate en respetar la capacidad de decisión de esa persona y en reconocer que la autolesión "
                      "no es el problema",
    },
    "fr": {
        "suicide attempt": "les outils et les méthodes utilisés lors de l'automutilation peuvent être présents dans une "
                           "tentative de suicide",
        "regulating emotions": "Les personnes qui ont le plus de difficultés à réguler leurs émotions peuvent supporter "
                               "le plus de douleur",
        "self-criticism": "L'autocritique augmente notre capacité à supporter la douleur plus longtemps",
        "feeling better": "L'introduction + le retrait de quelque chose de désagréable font que les gens se sentent mieux",
        "signal-scrambling": "le signe d'un « brouillage des signaux entre l'insula antérieure",
        "relapse": "Si nous nous imposons des exigences élevées, comme ne pas rechuter du tout",
        "supporters": "concentre-toi sur le respect du pouvoir d'agir de cette personne et reconnais que "
                      "l'automutilation n'est pas le problème",
    },
    "de": {
        "suicide attempt": "Mittel und Methoden, die bei der Selbstverletzung benutzt werden, bei einem Suizidversuch "
                           "vorkommen können",
        "regulating emotions": "Menschen mit den größten Schwierigkeiten, ihre Gefühle zu regulieren, können den meisten "
                               "Schmerz aushalten",
        "self-criticism": "Selbstkritik erhöht unsere Fähigkeit, Schmerz länger auszuhalten",
        "feeling better": "Das Hinzufügen + Wegnehmen von etwas Unangenehmem lässt Menschen sich besser fühlen",
        "signal-scrambling": "ein Zeichen für eine „Signalverwirrung zwischen der anterioren Insula",
        "relapse": "überhaupt keinen Rückfall zu haben",
        "supporters": "konzentriere dich darauf, die Handlungsfähigkeit dieser Person zu achten und anzuerkennen, dass "
                      "Selbstverletzung nicht das Problem ist",
    },
    "pt": {
        "suicide attempt": "ferramentas e métodos usados na autolesão possam estar presentes em uma tentativa de suicídio",
        "regulating emotions": "Pessoas com as maiores dificuldades para regular as emoções conseguem suportar mais dor",
        "self-criticism": "A autocrítica aumenta nossa capacidade de suportar a dor por mais tempo",
        "feeling better": "A introdução + retirada de algo desagradável faz as pessoas se sentirem melhor",
        "signal-scrambling": "um sinal de “embaralhamento de sinais entre a ínsula anterior",
        "relapse": "Se nos cobramos padrões altos de não ter nenhuma recaída",
        "supporters": "concentre-se em respeitar a autonomia dessa pessoa e em reconhecer que a autolesão não é o "
                      "problema",
    },
}
# "Self-harm is not the problem" on its own reads as a verdict; the zine says it to supporters.
NOT_THE_PROBLEM = {"en": "self-harm is not the problem", "es": "la autolesión no es el problema",
                   "fr": "l'automutilation n'est pas le problème", "de": "Selbstverletzung nicht das Problem",
                   "pt": "a autolesão não é o problema"}
LANGUAGES = sorted(CAVEATS)

BLOCKS = {"p", "li", "h1", "h2", "h3", "blockquote"}
# A sentence ends at . ? ! (and any closing quote) followed by an ordinary space or the end; a no-break
# space keeps French "…tout de suite. »" together.
SENTENCE_END = re.compile(r"[.?!…](?:[\u00a0\u202f]?[”\"’»“‘])?(?= |$)")
PARENTHETICAL = re.compile(r" ?\([^()]*\)")


class Blocks(HTMLParser):
    """The text of each paragraph, list item and heading of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
            self.current = []

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)

    def flush(self):
        if self.current is not None and "".join(self.current).strip():
            # Only ordinary white space is collapsed: a no-break space keeps its meaning (see SENTENCE_END).
            self.blocks.append(re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip())
        self.current = None


def blocks(html: str | None) -> list[str]:
    parser = Blocks()
    parser.feed(html or "")
    parser.flush()
    return parser.blocks


def sentences(block: str) -> list[str]:
    cut, start = [], 0
    for end in SENTENCE_END.finditer(block):
        cut.append(block[start:end.end()].strip())
        start = end.end()
    cut.append(block[start:].strip())
    return [sentence for sentence in cut if sentence]


def norm(text: str) -> str:
    """Case, spacing (no-break spaces too) and apostrophe style do not count."""
    return " ".join(text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def core(sentence: str) -> str:
    """A compact sentence without its closing punctuation: a trimmed one may end where the full one goes on."""
    return norm(sentence).rstrip(" .;:,!?…")


def variants(sentence: str) -> set[str]:
    """A full sentence as it is, with each of its parentheticals left out, and with all of them left out."""
    found = {sentence, PARENTHETICAL.sub("", sentence)}
    for match in PARENTHETICAL.finditer(sentence):
        found.add(sentence[:match.start()] + sentence[match.end():])
    return {norm(variant) for variant in found}


def is_trimmed_from(compact: str, full_sentences: list[str]) -> bool:
    """The compact sentence is a contiguous run of whole words of a full sentence (or of a variant of it)."""
    wanted = core(compact)
    pattern = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
    return bool(wanted) and any(pattern.search(variant) for sentence in full_sentences
                                for variant in variants(sentence))


def full_sentences(section) -> list[str]:
    return [s for block in blocks(section.html) + blocks(f"<h2>{section.heading or ''}</h2>") for s in sentences(block)]


def compact_sentences(section) -> list[str]:
    return [s for block in blocks(section.short_html) for s in sentences(block)]


@pytest.fixture(scope="module", params=LANGUAGES)
def content(request) -> Content:
    return load_content(CONTENT, request.param)


def test_the_compact_text_is_the_zine_s_own_sentences_or_trimmed_ones(content):
    strays = []
    for section in content.sections:
        full = full_sentences(section)
        strays += [(section.heading, s) for s in compact_sentences(section) if not is_trimmed_from(s, full)]
    assert not strays, strays


def test_summary_and_key_points_are_the_zine_s_own_sentences_or_trimmed_ones(content):
    full = [s for section in content.sections for s in full_sentences(section)]
    assert content.summary and len(content.key_points) >= 4
    strays = [s for s in [content.summary, *content.key_points] if not is_trimmed_from(s, full)]
    assert not strays, strays


def test_the_checker_refuses_what_is_not_the_zine_s():
    full = ["Self-harm, also known as non-suicidal self-injury or NSSI, happens anytime we hurt ourselves on "
            "purpose (often as a way to release painful emotions).",
            "It is subjective, looks different across cultures, serves different purposes, and is not limited to "
            "one group, gender, or age."]
    assert is_trimmed_from("Self-harm happens anytime we hurt ourselves on purpose.", full) is False   # a gap
    assert is_trimmed_from("It is not limited to one group, gender, or age.", full) is False          # joined up
    assert is_trimmed_from("Self-harm is always harmless.", full) is False
    assert is_trimmed_from("elf-harm, also known as", full) is False                                  # half a word
    assert is_trimmed_from("Self-harm, also known as non-suicidal self-injury or NSSI, happens anytime we hurt "
                           "ourselves on purpose.", full)                                            # no parenthesis
    assert is_trimmed_from("Looks different across cultures.", full)                                 # a run of it


def test_every_section_has_a_compact_text(content):
    assert all(section.short_html for section in content.sections), content.path


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("caveat", sorted(CAVEATS["en"]))
def test_the_section_that_says_a_caveat_keeps_it_in_its_compact_text(language, caveat):
    content = load_content(CONTENT, language)
    phrase = norm(CAVEATS[language][caveat])
    saying = [s for s in content.sections if phrase in norm(" ".join(blocks(s.html)))]
    assert len(saying) == 1, (language, caveat, "the full text should say it once")
    assert phrase in norm(" ".join(blocks(saying[0].short_html))), (language, caveat, saying[0].heading)


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_summary_and_poster_key_points_keep_the_suicide_attempt_caveat(language):
    # The card prints only the summary and the poster only the key points: each must carry it.
    content = load_content(CONTENT, language)
    phrase = norm(CAVEATS[language]["suicide attempt"])
    assert phrase in norm(content.summary or "")
    assert any(phrase in norm(point) for point in content.key_points)


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_the_problem_is_always_said_to_supporters(language):
    content = load_content(CONTENT, language)
    bare, framing = norm(NOT_THE_PROBLEM[language]), norm(CAVEATS[language]["supporters"])
    compact = [s for section in content.sections for s in compact_sentences(section)]
    saying = [s for s in [*compact, content.summary or "", *content.key_points] if bare in norm(s)]
    assert saying, language
    assert all(framing in norm(s) for s in saying), [s for s in saying if framing not in norm(s)]
    assert any(framing in norm(point) for point in content.key_points)
