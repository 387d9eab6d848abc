"""Short chat questions in either language are understood: language, typos, compounds, glossary."""
from __future__ import annotations

import pytest

from guidebot.bot.analysis import EN, NB, detect_language, words
from guidebot.bot.retrieval import Retriever


@pytest.mark.parametrize("question, lang", [
    ("kan jeg legge ut bilde av barn?", NB),
    ("Kan jeg poste bilder fra turen?", NB),
    ("hvem må godkjenne en ny side", NB),
    ("må jeg spørre foreldrene", NB),
    ("hva med taushetsplikt", NB),
    ("facebook?", NB),  # Norwegian first when nothing tells
    ("can I post a photo of kids?", EN),
    ("is it ok to post pics of my colleagues", EN),
    ("who needs to approve a new page", EN),
    ("what about confidentiality", EN),
    ("do we need a marketing plan", EN),
])
def test_language_of_a_short_chat_question(question, lang):
    assert detect_language(question) == lang


def test_hyphenated_compounds_yield_parts_and_the_joined_word():
    assert words("Facebook-side") == ["facebook", "side", "facebookside"]


def test_chat_markup_is_not_read_as_words():
    assert words("<!channel> <@U123ABC> **viktig**") == ["viktig"]


def _stems_of(retriever: Retriever, question: str) -> set[str]:
    return {s for term in retriever.analyse(question)[1] for s in term.stems}


def test_english_question_reaches_the_norwegian_words_through_the_glossary(engine):
    stems = _stems_of(engine.retriever, "can I post a photo of kids")
    assert {"barn", "bild"} <= stems  # kids → barn, photo → bilde


def test_glossary_phrase_of_several_words_is_matched(engine):
    stems = _stems_of(engine.retriever, "who is the head of communications")
    assert "kommunikasjonssjef" in stems


def test_an_unknown_compound_is_split_into_known_parts(engine):
    stems = _stems_of(engine.retriever, "barnebilder")
    assert {"barn", "bild"} <= stems


def test_a_typo_is_repaired_within_the_question_language(engine):
    assert "foreldr" in _stems_of(engine.retriever, "tillatelse fra forelrdene")
    # a Norwegian word is never "repaired" into an English one (bytter ≠ better)
    assert "better" not in _stems_of(engine.retriever, "hvordan bytter jeg passord")


def test_an_english_word_is_not_read_as_the_norwegian_word_spelt_alike():
    """"time" in an English question is no Norwegian "time" (a lesson): it does not ask for "undervisning";
    the Norwegian word still does. "counts" is the plural of a word the guideline lacks, not "county"."""
    from guidebot.bot.analysis import Glossary, TypoIndex, stem
    from guidebot.bot.knowledge import GlossaryEntry

    glossary = Glossary([GlossaryEntry(en=("lesson",), nb=("time", "undervisning")),
                         GlossaryEntry(en=("part time",), nb=("deltid",))])
    assert "undervisning" not in glossary.expand([stem("time", EN)]).get(0, set())
    assert "undervisning" in glossary.expand([stem("time", NB)]).get(0, set())
    assert TypoIndex({"county", "kommune"}).correct("counts") is None
    assert TypoIndex({"county", "kommune"}).correct("countyy") == "county"


def test_a_real_word_is_not_repaired_into_another_one():
    """A short word one edit from a known word is most often a word of its own ("think", "skjer"), and a
    slip seldom hits the first letter ("reader", "koster"); a longer slip inside a word is still repaired."""
    from guidebot.bot.analysis import TypoIndex

    typos = TypoIndex({"thank", "saker", "leader", "poster", "instagram", "samtykke"})
    assert [typos.correct(w) for w in ("think", "skjer", "reader", "koster")] == [None, None, None, None]
    assert typos.correct("instagarm") == "instagram" and typos.correct("samtyke") == "samtykke"


def test_a_phrasal_english_term_is_matched_whole_not_by_its_one_content_word():
    """"take down" asks for deleting, "in person" for "muntlig"; "take a walk" and "a person" ask for neither.
    The Norwegian gloss embedded beside an English question reads them the same way."""
    from guidebot.bot.analysis import Glossary, stem
    from guidebot.bot.gloss import norwegian_gloss
    from guidebot.bot.knowledge import GlossaryEntry

    glossary = Glossary([GlossaryEntry(en=("delete", "take down"), nb=("slette",)),
                         GlossaryEntry(en=("in person", "face to face"), nb=("muntlig",))])
    assert "slett" not in glossary.expand([stem("take", EN), stem("walk", EN)]).get(0, set())
    found = glossary.expand_function_words([stem(w, EN) for w in words("please take down the photo in person")])
    assert "slett" in found[1] and "munt" in found[5]
    assert "to" not in found[5], "the English stopword 'to' of 'face to face' is no Norwegian 'to' (two)"
    assert "muntlig" not in norwegian_gloss("is this person an employee")
    assert "muntlig" in norwegian_gloss("can I report it in person")
    assert "slette" in norwegian_gloss("can you take down the post") and "slette" not in norwegian_gloss("take a break")
