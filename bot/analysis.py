"""Text analysis for Bokmål and English chat questions.

Employees type short, informal questions with typos, in either language, often without æøå. The index
is Norwegian text plus an unofficial English rendering, so both sides go through the same analysis:
normalise, tokenise, drop stopwords, stem with the language's Snowball stemmer, split unknown
Norwegian compounds into known parts, and expand with the bilingual glossary.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Iterable, Sequence

import Stemmer

from .knowledge import GlossaryEntry

NB, EN = "nb", "en"

NB_STOPWORDS = frozenset("""
og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om vi min mitt
ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl her alle
vil bli ble blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle denne for deg
si sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilket
hvilke sånn inni mellom vår våre vårt hver hvem hvis både bare enn fordi før mange også slik vært begge
siden må får få gjøre gjør lov greit hei hallo takk går gå eg ikkje kva korleis kven ein eit mykje no
nokon noko sidan vere bør burde kanskje jo vel altså liksom mest mer litt veldig egentlig ok okei
vite vet lurer lure lurte tror tenkte tenker
ny nye nytt god gode godt bra stor store stort liten lite små egentlig helt
raskt fort snart kjapt
""".split())

EN_STOPWORDS = frozenset("""
us somebody anybody everybody everyone everything nobody stuff quickly soon
a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
not of off on once only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself
yourselves may might must shall need allowed ok okay fine please hi hello hey thanks thank anything
something someone anyone get got let lets s t don doesn isn aren im ive id whats hows there's also really
know wonder wondering question guys team
new good great big small little really quite
take takes taking took go goes going went come comes coming put puts putting give gives giving
keep keeps happen happens happened happening thing things way gets getting
""".split())

# Words that mark a language in a short question even when they are stopwords.
NB_MARKERS = frozenset("""
jeg hva hvordan hvem hvor hvorfor hvilke hvilken kan skal må det er og ikke på av til med vi du min mitt
mine vår våre noe noen når om bilde bilder barn lov legge ut har får være hei takk eller sin sitt
""".split())
EN_MARKERS = frozenset("""
i what how who where why which can should must is are the a an and not of to with we you my our your
do does am any some when if about photo picture post page kids allowed need it this that there
has have had now from will would could get they them on or his she he was were been
""".split())

# "hva er …", "what is …": the asker wants a definition; passages tagged with this keyword answer it.
DEFINITION_QUESTION = re.compile(r"^\s*(hva er|hva betyr|hva menes med|hva regnes som|hva defineres som|what is|what are|"
                                 r"what does|what's|whats|what counts as)\b")
DEFINITION_STEMS = frozenset({"definisjon", "definit"})

# Angle-bracket markup that chat platforms put into message text (mentions, channel links, broadcasts,
# HTML tags): never words of the question. "x < 5" is not markup (no word right after "<").
_MARKUP = re.compile(r"<[@#!/]?[\w:.-][^<>]*>")
_TOKEN = re.compile(r"[0-9a-zæøåäöüéèáàóôç]+(?:-[0-9a-zæøåäöüéèáàóôç]+)*")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e", "è": "e"})


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("norwegian" if lang == NB else "english")


# accents of emphasis and loanwords: "publisér", "én", "idé" and "kafé" are the words typed without them
_ACCENTS = str.maketrans("éèêáàâóòôíìúù", "eeeaaaoooiiuu")


def normalise(text: str) -> str:
    """Lower case, NFKC, markdown emphasis, chat markup and accents removed; æøå kept."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ACCENTS)
    text = _MARKUP.sub(" ", text)
    return text.replace("**", " ").replace("’", "'")


def words(text: str) -> list[str]:
    """Tokens of a text; a hyphenated compound yields its parts and the joined word."""
    out: list[str] = []
    for match in _TOKEN.finditer(normalise(text)):
        token = match.group(0)
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(token)
    return out


def fold(word: str) -> str:
    return word.translate(_FOLD)


# Irregular verb forms the Snowball stemmers leave apart from their verb: "I took a photo" asks what "take a
# photo" does, "noen tok imot en gave" what "ta imot" does. General grammar, not any guideline's words; forms
# that are also common other words ("left", "saw", "lot", "la", "satt", "sett", "bar") are left out.
_IRREGULAR: dict[str, dict[str, str]] = {
    EN: {form: base for base, forms in (
        ("take", "took taken"), ("get", "got gotten"), ("give", "gave given"), ("tell", "told"),
        ("bring", "brought"), ("go", "went gone"), ("see", "seen"), ("send", "sent"), ("make", "made"),
        ("pay", "paid"), ("buy", "bought"), ("sell", "sold"), ("write", "wrote written"), ("speak", "spoke spoken"),
        ("break", "broke"), ("lose", "lost"), ("steal", "stole stolen"), ("forget", "forgot forgotten"),
        ("think", "thought"), ("find", "found"), ("keep", "kept"), ("feel", "felt"), ("fall", "fell fallen"),
        ("drive", "drove driven"), ("eat", "ate eaten"), ("drink", "drank"), ("run", "ran"),
        ("begin", "began begun"), ("choose", "chose chosen"), ("hide", "hid hidden"), ("shoot", "shot"),
        ("teach", "taught"), ("catch", "caught"), ("build", "built"), ("meet", "met"), ("sit", "sat"),
        ("stand", "stood"), ("understand", "understood"), ("win", "won"), ("sleep", "slept"),
        ("wear", "wore worn"), ("throw", "threw thrown"), ("fight", "fought"), ("spend", "spent"),
        ("lend", "lent"), ("say", "said"), ("become", "became"), ("come", "came"), ("know", "knew known"),
        ("draw", "drew drawn"), ("forgive", "forgave forgiven"), ("withdraw", "withdrew withdrawn"),
        ("mistake", "mistook mistaken"), ("overhear", "overheard"), ("mislead", "misled"), ("seek", "sought"),
        ("shake", "shook shaken"), ("freeze", "froze frozen"), ("hold", "held"), ("hear", "heard"))
        for form in forms.split()},
    NB: {form: base for base, forms in (
        ("ta", "tar tok tatt"), ("få", "fikk fått"), ("gå", "gikk gått"), ("si", "sier sa sagt"),
        ("gi", "gir ga gav gitt"), ("se", "ser"), ("stå", "står sto stod stått"), ("slå", "slår slo slått"),
        ("gjøre", "gjorde gjort"), ("komme", "kom kommet"), ("finne", "fant funnet"), ("ligge", "lå ligget"),
        ("skrive", "skrev skrevet"), ("bryte", "brøt brutt"), ("drikke", "drakk drukket"), ("selge", "solgte solgt"),
        ("fortelle", "fortalte fortalt"), ("velge", "valgte valgt"), ("vite", "visste"), ("stjele", "stjal stjålet"),
        ("trekke", "trakk trukket"), ("sove", "sov sovet"), ("hjelpe", "hjalp hjulpet"),
        ("forstå", "forsto forstod forstått"), ("be", "ba bad bedt"), ("legge", "lagt"), ("sette", "satte"),
        ("spørre", "spurte spurt"), ("gjelde", "gjaldt"))
        for form in forms.split()},
}


def stem(word: str, lang: str) -> str:
    if lang != NB:
        return _stemmer(lang).stemWord(_IRREGULAR.get(lang, {}).get(word, word))
    if word.endswith(("aer", "aene")) and len(word) >= 7:  # "kollegaer", "kameraene": the noun in -a
        word = word[:-2] if word.endswith("aer") else word[:-3]
    for noun, kept in _NOUNS_NOT_SUFFIXES:
        if (found := noun.search(word)) and found.start() >= 3:
            return word[:found.start()] + kept
    return _el_noun(_er_noun(_stemmer(lang).stemWord(_IRREGULAR[NB].get(word, word))))


# last parts of compounds that Snowball cuts off as suffixes: "arbeidsmiljøloven" would be "arbeidsmiljø",
# "fastlegen" "fast"; such a compound keeps them (in the stem of their base form)
_NOUNS_NOT_SUFFIXES = ((re.compile(r"lov(?:a|as|ane|en|ene|ens|er)?$"), "lov"),
                       (re.compile(r"lege(?:n|r|ne|ns|rs)?$"), "leg"))


def _er_noun(stemmed: str) -> str:
    """Snowball reads a noun in -er one way and its inflections another: "leder" -> "led" but "ledere",
    "lederen" -> "leder" and "lederne" -> "ledern", so a question about "leder" never met "ledere" in a
    guideline (bruker/brukere, innbygger/innbyggere, arbeidstaker/arbeidstakere alike). What is left in
    -er or -ern after Snowball is such an inflection: taken to the stem of its base form."""
    if stemmed.endswith("ern") and len(stemmed) >= 6:
        return stemmed[:-3]
    if stemmed.endswith("er") and len(stemmed) >= 5:
        return stemmed[:-2]
    return stemmed


def _el_noun(stemmed: str) -> str:
    """A noun in -el loses its e when inflected, and Snowball keeps the base form whole: "varsel" stays "varsel"
    but "varsler" is "varsl" ("regel"/"regler", "nøkkel"/"nøkler", "eksempel"/"eksempler"), so "Hvem mottar
    varselet" never met a question about "varsler". The base form is taken to the inflection's stem, a doubled
    consonant undone ("sykkel" -> "sykl"); "-ell" ("modell", "spesiell") keeps its form."""
    if len(stemmed) < 5 or not stemmed.endswith("el") or stemmed[-3] in "aeiouyæøål":
        return stemmed
    base = stemmed[:-2]
    if len(base) >= 3 and base[-1] == base[-2]:
        base = base[:-1]
    return base + "l"


def content_words(text: str, lang: str | None = None) -> list[str]:
    """Words that carry meaning: stopwords of the given language (or both) removed."""
    stop = NB_STOPWORDS if lang == NB else EN_STOPWORDS if lang == EN else NB_STOPWORDS | EN_STOPWORDS
    return [w for w in words(text) if w not in stop and len(w) > 1]


def detect_language(text: str, english_vocabulary: frozenset[str] = frozenset()) -> str:
    """Bokmål or English for a short chat question; Norwegian wins ties (the guideline's language). A letter
    æ, ø or å weighs as two Norwegian words, not as proof: an English question names Norwegian things ("A resident
    writes in Bokmål, which language do we answer in?", "Can I post on Lørenskog's page?")."""
    tokens = words(text)
    nb_score = sum(1 for t in tokens if t in NB_MARKERS) + (2 if re.search(r"[æøå]", text.lower()) else 0)
    en_score: float = sum(1 for t in tokens if t in EN_MARKERS)
    en_score += 0.5 * sum(1 for t in tokens if t in english_vocabulary and t not in NB_MARKERS)
    if en_score > nb_score:
        return EN
    return NB


class TypoIndex:
    """Maps a misspelt word to a known one within one edit (symmetric deletions), æøå folded.

    Edit distance against every word would cost milliseconds a question; deletion neighbourhoods cost
    a few dictionary look-ups.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for word in vocabulary:
            if len(word) >= 4:
                for key in self._keys(fold(word)):
                    self._by_key[key].add(word)

    @staticmethod
    def _keys(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def correct(self, word: str) -> str | None:
        """The known word one edit away, for a word of six letters or more, keeping its first letter: a short
        word one edit from a known one is most often another real word ("think" is not "thank", "skjer" not
        "saker"), and typing slips seldom hit the first letter ("reader" is not "leader")."""
        if len(word) < 6:
            return None
        candidates: set[str] = set()
        folded = fold(word)
        exact = self._by_key.get(folded, set())
        same = [c for c in exact if fold(c) == folded]
        if same:
            return min(same, key=len)
        for key in self._keys(folded):
            candidates |= self._by_key.get(key, set())
        # "counts" is the plural of a word the guideline lacks, not a typo of "county"
        candidates = {c for c in candidates if fold(c)[:1] == folded[:1]
                      and not (word.endswith("s") and len(c) == len(word) and c[:-1] == word[:-1])}
        if not candidates:
            return None
        return min(candidates, key=lambda c: (abs(len(c) - len(word)), c))


@dataclass(frozen=True)
class QueryTerm:
    """One term of an analysed question: the stems it stands for and how much it counts."""

    word: str
    stems: tuple[str, ...]
    weight: float
    original: bool  # typed by the asker, not added by the glossary or compound splitting
    partial: bool = False  # only the head of an unknown compound: weaker evidence for its word
    compound: bool = False  # the stems are the parts of one compound (all needed), not alternatives (any)


def phrase_token(stems: Sequence[str]) -> str:
    """A Norwegian phrase of the glossary as one index token. Its words one by one would let "ta imot"
    (accept) match every "tas", and "logge inn" every "logg ut"."""
    return "§" + "_".join(stems)


# what a guideline calls itself: a phrase's long word that says nothing of its topic alone
_DOCUMENT_WORD = re.compile(r"(?:retningslin|reglement|rutine|rutina|veileder|rettleiar|policy|policies|instruks|"
                            r"guideline)", re.I)


class Glossary:
    """Bilingual expansion: a question naming any term of an entry also asks for the entry's other terms."""

    def __init__(self, entries: Sequence[GlossaryEntry]) -> None:
        self._phrases: list[tuple[tuple[str, ...], int]] = []
        self._function_phrases: list[tuple[tuple[str, ...], int]] = []
        self._particle_phrases: list[tuple[tuple[str, ...], int]] = []
        self._expansions: list[tuple[str, ...]] = []
        self.nb_phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)  # first stem → whole phrases
        # a term is also keyed in the other language's stems (a Norwegian word in an English question), unless
        # one of its words is a word of that language too: the Norwegian "time" (lesson) is no English "time"
        known = {EN: {w for e in entries for t in e.en for w in words(t)},
                 NB: {w for e in entries for t in e.nb for w in words(t)}}
        for index, entry in enumerate(entries):
            expansion: list[str] = []
            for lang, terms in ((EN, entry.en), (NB, entry.nb)):
                for term in terms:
                    # "ta opp" without its particle is "ta": such a phrase would be asked by every "ta", so it is
                    # matched with its particle, in the question's words as typed (`expand_particles`)
                    particle = lang == NB and 1 < len(words(term)) != len(content_words(term))
                    if particle:
                        self._particle_phrases.append((tuple(stem(w, NB) for w in words(term)), index))
                    # "take down", "in person", "days off": one content word and stopwords that make the meaning;
                    # without them every "take" would ask for deleting, so they are matched whole, as typed
                    phrasal = lang == EN and len(content_words(term)) == 1 < len(words(term))
                    for other in (EN, NB):
                        if other != lang and any(w in known[other] for w in content_words(term)):
                            continue
                        key = tuple(stem(w, other) for w in content_words(term))
                        if key and not particle and not phrasal:
                            self._phrases.append((key, index))
                        elif lang == EN and other == EN and len(term) > 2:  # "own", "in advance": stopwords
                            # that say something ("it" is a pronoun far more often than the IT department)
                            self._function_phrases.append((tuple(stem(w, EN) for w in words(term)), index))
                    if lang == NB and len(words(term)) > 1:  # "ta imot", "logge inn": only as a phrase
                        phrase = tuple(stem(w, NB) for w in words(term))
                        expansion.append(phrase_token(phrase))
                        if phrase not in self.nb_phrases[phrase[0]]:
                            self.nb_phrases[phrase[0]].append(phrase)
                        # a long word of it still says something alone ("kritikkverdige" forhold)
                        # but not the name of a document: "etiske retningslinjer" is not asked by every
                        # "retningslinjene"
                        expansion.extend(stem(w, NB) for w in words(term) if len(w) >= 6 and w not in NB_STOPWORDS
                                         and not _DOCUMENT_WORD.match(w))
                        continue
                    stop = NB_STOPWORDS if lang == NB else EN_STOPWORDS  # an English "to" is no Norwegian "to" (two)
                    expansion.extend(stem(w, lang) for w in words(term) if w not in stop)
            self._expansions.append(tuple(dict.fromkeys(expansion)))
        self._by_first = self._by_first_word(self._phrases)
        self._function_by_first = self._by_first_word(self._function_phrases)
        self._particle_by_first = self._by_first_word(self._particle_phrases)

    @staticmethod
    def _by_first_word(phrases: list[tuple[tuple[str, ...], int]]) -> dict[str, list[tuple[tuple[str, ...], int]]]:
        by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for key, index in phrases:
            by_first[key[0]].append((key, index))
        return by_first

    def phrases_in(self, text: str) -> list[str]:
        """Tokens of the glossary's Norwegian phrases that `text` contains, word for word."""
        stems = [stem(w, NB) for w in words(text)]
        return [phrase_token(phrase) for pos, first in enumerate(stems) for phrase in self.nb_phrases.get(first, ())
                if tuple(stems[pos:pos + len(phrase)]) == phrase]

    def expand(self, stem_sequence: Sequence[str]) -> dict[int, set[str]]:
        """Position in the question → the extra stems its glossary entries add."""
        return self._match(stem_sequence, self._by_first)

    def phrase_tails(self, stem_sequence: Sequence[str]) -> dict[int, int]:
        """Positions inside a matched phrase after its first word → that first word's position: "whistle"
        in "blow the whistle" is asked through the phrase, not as a word of its own."""
        tails: dict[int, int] = {}
        for pos, first in enumerate(stem_sequence):
            for key, _index in self._by_first.get(first, ()):
                if len(key) > 1 and tuple(stem_sequence[pos:pos + len(key)]) == key:
                    tails.update({pos + i: pos for i in range(1, len(key)) if pos + i not in tails})
        return tails

    def expand_particles(self, stem_sequence: Sequence[str]) -> dict[int, set[str]]:
        """Like `expand`, for Norwegian phrases of a verb and its particle ("legge ut", "ta opp"), matched in the
        question's words with its stopwords kept."""
        return self._match(stem_sequence, self._particle_by_first)

    def expand_function_words(self, stem_sequence: Sequence[str]) -> dict[int, set[str]]:
        """Like `expand`, for entries whose English side is all stopwords ("my own" → egen), matched in
        the question with its stopwords kept."""
        return self._match(stem_sequence, self._function_by_first)

    def _match(self, stem_sequence: Sequence[str],
               by_first: dict[str, list[tuple[tuple[str, ...], int]]]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for pos, first in enumerate(stem_sequence):
            for key, index in by_first.get(first, ()):
                if tuple(stem_sequence[pos:pos + len(key)]) == key:
                    found[pos].update(self._expansions[index])
        return found
