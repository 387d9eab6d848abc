"""Nynorsk questions read as Bokmål, so that a Bokmål guideline answers them.

Many employees write Nynorsk ("kan eg leggje ut bilete av born?"). The guideline, its stems and its
glossary are Bokmål; rather than a second stemmer and index, a Nynorsk word form is mapped to the
Bokmål form it corresponds to before analysis. The table is general language (function words, common
verbs and nouns of working life), not one guideline's vocabulary; a word it does not know passes
through unchanged and still meets the Norwegian stemmer, which handles most shared stems.
"""
from __future__ import annotations

import re

# Forms that occur in Nynorsk and never (or hardly ever) in Bokmål: they mark a question as Nynorsk.
MARKERS = frozenset("""
eg ikkje kva korleis kvifor kven kvar kor noko nokon nokre mykje ein eit berre frå
vere vore blitt vert vart dei deira sjølv òg ho kvarandre
leggje spørje seie gjere skrive tenkje treng heiter finn tek kjem høyrer
bilete born borna fleire medium sida heimetenesta
sitje setje sjå finst tingar omsetjing
""".split())

_WORDS: dict[str, str] = {
    # pronouns, question words, function words
    "eg": "jeg", "meg": "meg", "ho": "hun", "dei": "de", "deira": "deres", "dykk": "dere", "dykkar": "deres",
    "kva": "hva", "korleis": "hvordan", "kvifor": "hvorfor", "kven": "hvem", "kvar": "hvor", "kor": "hvor",
    "kvart": "hvert", "kvarandre": "hverandre", "ikkje": "ikke", "noko": "noe",
    "nokon": "noen", "nokre": "noen", "mykje": "mye", "ein": "en", "eit": "et", "berre": "bare",
    "frå": "fra", "òg": "også", "sjølv": "selv", "medan": "mens", "no": "nå", "fyrst": "først",
    "sidan": "siden", "utan": "uten", "mellom": "mellom", "etter": "etter", "viss": "hvis", "dersom": "dersom",
    "eller": "eller", "også": "også", "heller": "heller", "alltid": "alltid", "aldri": "aldri",
    "mange": "mange", "fleire": "flere", "flest": "flest", "nokså": "nokså", "mest": "mest",
    "min": "min", "mi": "min", "mitt": "mitt", "mine": "mine", "di": "din", "si": "sin", "vår": "vår",
    # verbs
    "vere": "være", "vore": "vært", "vert": "blir", "vart": "ble", "verte": "bli", "bli": "bli",
    "leggje": "legge", "legge": "legge", "spørje": "spørre", "spør": "spør", "seie": "si", "seier": "sier",
    "gjere": "gjøre", "gjer": "gjør", "gjorde": "gjorde", "skrive": "skrive", "skriv": "skriver",
    "tenkje": "tenke", "tenkjer": "tenker", "treng": "trenger", "trenge": "trenge", "heiter": "heter",
    "finn": "finner", "finne": "finne", "tek": "tar", "ta": "ta", "take": "ta", "kjem": "kommer", "kome": "komme",
    "høyrer": "hører", "høyre": "høre", "veit": "vet", "vite": "vite", "får": "får", "fekk": "fikk",
    "let": "lar", "la": "la", "set": "setter", "sette": "sette", "byrje": "begynne", "byrjar": "begynner",
    "opne": "åpne", "opnar": "åpner", "open": "åpen", "ope": "åpent", "stengje": "stenge", "fjerne": "fjerne",
    "fjerna": "fjernet", "sende": "sende", "sender": "sender", "dele": "dele", "deler": "deler",
    "publisere": "publisere", "opprette": "opprette", "opprettar": "oppretter", "lagar": "lager",
    "lage": "lage", "bruke": "bruke", "brukar": "bruker", "jobbar": "jobber", "arbeider": "arbeider",
    "snakkar": "snakker", "snakke": "snakke", "fotograferer": "fotograferer", "filmar": "filmer",
    "svarar": "svarer", "svare": "svare", "måler": "måler", "måle": "måle", "hjelpe": "hjelpe",
    "hjelper": "hjelper", "ønskjer": "ønsker", "ønskje": "ønske", "meiner": "mener", "meine": "mene",
    "følgje": "følge", "følgjer": "følger", "tilsett": "ansatt", "tilsette": "ansatte",
    "kjenne": "kjenne", "kjenner": "kjenner", "løyve": "tillatelse", "løyva": "tillatelsen",
    "samtykkje": "samtykke", "skal": "skal", "må": "må", "kan": "kan", "bør": "bør", "vil": "vil",
    # nouns and adjectives
    "bilete": "bilde", "biletet": "bildet", "bileta": "bildene", "biletbank": "bildebank",
    "born": "barn", "borna": "barna", "barnehagen": "barnehagen", "elevane": "elevene",
    "foreldra": "foreldrene", "føresette": "foresatte", "medium": "medier", "media": "medier",
    "sida": "siden", "sidene": "sidene", "sider": "sider", "kontoen": "kontoen", "meining": "mening",
    "meininga": "meningen", "meiningar": "meninger", "spørsmål": "spørsmål", "teieplikt": "taushetsplikt",
    "teieplikta": "taushetsplikten", "personvernet": "personvernet", "ansvarleg": "ansvarlig",
    "ansvarlege": "ansvarlige", "ansvaret": "ansvaret", "marknadsføring": "markedsføring",
    "følgjarar": "følgere", "følgjar": "følger", "heimeteneste": "hjemmetjeneste",
    "heimetenesta": "hjemmetjenesten", "heime": "hjemme", "heim": "hjem", "teneste": "tjeneste",
    "tenesta": "tjenesten", "tenester": "tjenester", "arbeidsplassen": "arbeidsplassen", "jobben": "jobben",
    "gåve": "gave", "gåva": "gaven", "gåver": "gaver", "gåvene": "gavene",
    "sjuk": "syk", "sjuke": "syke", "sjukt": "sykt",
    "månad": "måned", "månaden": "måneden", "blome": "blomst", "blomen": "blomsten", "blomar": "blomster", "blomane": "blomstene",
    "leiar": "leder", "leiaren": "lederen", "leiing": "ledelse", "leiinga": "ledelsen", "sjefen": "sjefen",
    "kommunen": "kommunen", "rådhuset": "rådhuset", "ordførar": "ordfører", "ordføraren": "ordføreren",
    "veke": "uke", "veka": "uken", "dag": "dag", "år": "år", "tid": "tid", "pengar": "penger",
    "augo": "øyne", "andre": "andre", "einskild": "enkelt", "einskilde": "enkelte", "heile": "hele",
    "lange": "lange", "lang": "lang", "korte": "korte", "vegner": "vegne", "vegne": "vegne",
    "personar": "personer", "person": "person", "folk": "folk", "menneske": "mennesker",
    "pasientar": "pasienter", "brukarar": "brukere", "innbyggjarar": "innbyggere",
    "innbyggjar": "innbygger", "privat": "privat", "offisiell": "offisiell", "offentleg": "offentlig",
    "krise": "krise", "kriser": "kriser", "ferie": "ferie", "att": "igjen", "lønn": "lønn", "løn": "lønn",
    "videoane": "videoene", "videoar": "videoer", "filmane": "filmene", "tekstar": "tekster",
    "kanalen": "kanalen", "kanalar": "kanaler", "nettsida": "nettsiden", "nettsidene": "nettsidene",
    "fungerer": "fungerer", "vanskeleg": "vanskelig", "viktig": "viktig", "lett": "lett",
    # common in rules and routines
    "gjeld": "gjelder", "gjev": "gir", "gje": "gi", "gjeve": "gitt", "gjevast": "gis", "gjevne": "gitte",
    "mogleg": "mulig", "moglege": "mulige", "moglegheit": "mulighet", "moglegheiter": "muligheter",
    "førehand": "forhånd", "heilt": "helt", "eigen": "egen", "eige": "eget", "eigne": "egne",
    "eigedom": "eiendom", "betre": "bedre", "høg": "høy", "høgare": "høyere", "seinast": "senest",
    "seinare": "senere", "sein": "sen", "då": "da", "vidare": "videre", "elles": "ellers", "inga": "ingen",
    "attende": "tilbake", "selje": "selge", "bur": "bor", "nyttast": "brukes", "hugs": "husk", "hugse": "huske",
    "meir": "mer", "leiande": "ledende", "leiarar": "ledere", "leiarane": "lederne", "veker": "uker",
    "vekene": "ukene", "tryggleik": "trygghet", "stad": "sted", "staden": "stedet", "høve": "anledning",
    "folkevald": "folkevalgt", "folkevalde": "folkevalgte", "folkevalt": "folkevalgt", "hovudregel": "hovedregel",
    "hovudregelen": "hovedregelen", "føremål": "formål", "føremålet": "formålet", "føremåla": "formålene",
    "sitje": "sitte", "sit": "sitter", "setje": "sette", "sjå": "se", "finst": "finnes", "fins": "finnes",
    "tinge": "bestille", "tingar": "bestiller", "tinga": "bestilt", "tinging": "bestilling", "tinginga": "bestillingen",
    "omsetjing": "oversettelse", "omsetjinga": "oversettelsen", "omsetjingar": "oversettelser", "omsetje": "oversette",
    "omset": "oversetter", "omsetjar": "oversetter", "ynskje": "ønske", "ynskjer": "ønsker", "vener": "venner",
    "venene": "vennene", "døme": "eksempel", "tru": "tro", "trur": "tror",
    "vedteken": "vedtatt", "vedteke": "vedtatt", "vedtekne": "vedtatte",
    "retningsline": "retningslinje", "retningsliner": "retningslinjer", "retningslinene": "retningslinjene",
    "retningslina": "retningslinjen", "publisér": "publiser", "publiséring": "publisering",
}

# Word endings and beginnings of Nynorsk that have one Bokmål counterpart, for the words the table does not
# hold: "arbeidstakarar" -> "arbeidstakere", "dokumenterast" -> "dokumenteres", "særleg" -> "særlig". Words
# that end like one of _ALIKE are the same in both languages ("ansvar", "mottar", "utkast") and keep a short
# ending. "-lege" is left alone: "vanskelege" is Nynorsk, "fastlege" a doctor.
_ENDINGS: tuple[tuple[str, str], ...] = tuple(sorted((  # longest first, whatever the order written
    ("legheiter", "ligheter"), ("legheit", "lighet"), ("heiter", "heter"), ("heita", "heten"), ("heit", "het"),
    ("gjevarar", "givere"), ("gjevaren", "giveren"), ("gjevar", "giver"), ("gjersle", "gjørelse"),
    ("arane", "erne"), ("arar", "ere"), ("aren", "eren"), ("ane", "ene"), ("ar", "er"),
    ("legaste", "ligste"), ("legare", "ligere"), ("legast", "ligst"), ("legt", "lig"), ("leg", "lig"),
    ("erast", "eres"), ("gjast", "ges"), ("kjast", "kes"), ("ast", "es"),
    ("gjande", "gende"), ("kjande", "kende"), ("ande", "ende"),
    ("kjer", "ker"), ("gjer", "ger"), ("kje", "ke"), ("gje", "ge"), ("agd", "agt"),
), key=lambda ending: -len(ending[0])))
_BEGINNINGS: tuple[tuple[str, str], ...] = (
    ("sjølv", "selv"), ("saman", "sammen"), ("utan", "uten"), ("innan", "innen"), ("frå", "fra"), ("heil", "hel"),
    ("heime", "hjemme"), ("eigen", "egen"),
)
# Stems spelt differently wherever they stand in a compound; no Bokmål word contains them
_INSIDE: tuple[tuple[str, str], ...] = (("sjuk", "syk"), ("tenest", "tjenest"), ("eigenmeld", "egenmeld"), ("månad", "måned"),
                                       ("handsam", "behandl"), ("opplysing", "opplysning"))
_ALIKE = frozenset("""
januar februar kommentar seminar vikar svar klar par bar var dollar inventar altar radar formular kalendar
kontrast podkast entusiast fantast gymnast ballast bombast last fast gjest plast kast tast
lande stande hande strande tar
""".split())

_TOKEN = re.compile(r"[a-zæøåäöüéèáàóòôç]+", re.IGNORECASE)


def is_nynorsk(text: str) -> bool:
    """At least one marker form, and more markers than the few shared with Bokmål."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    return sum(t in MARKERS for t in tokens) >= 1 and any(t in MARKERS - {"no", "ein"} for t in tokens)


def to_bokmaal(text: str) -> str:
    """The question with each Nynorsk word form replaced by its Bokmål form (case folded where replaced)."""
    return _TOKEN.sub(lambda m: _bokmaal_word(m.group(0)), text)


def _bokmaal_word(word: str) -> str:
    lower = word.lower()
    if lower in _WORDS:
        return _WORDS[lower]
    if len(lower) < 6:
        return word
    for nynorsk, bokmaal in _BEGINNINGS:
        if lower.startswith(nynorsk) and len(lower) > len(nynorsk) + 2:
            lower = bokmaal + lower[len(nynorsk):]
            break
    for nynorsk, bokmaal in _INSIDE:  # "langtidssjukmelding", "innloggingstenestene"
        lower = lower.replace(nynorsk, bokmaal)
    for _ in range(2):  # "søkjar": the ending, then the "kj" before it
        ending = next(((n, b) for n, b in _ENDINGS if lower.endswith(n) and len(lower) - len(n) >= 2), None)
        if ending is None or (len(ending[0]) <= 4 and any(lower.endswith(w) for w in _ALIKE)):
            break
        lower = lower[: -len(ending[0])] + ending[1]
    return lower if lower != word.lower() else word


def nynorsk_form(word: str) -> bool:
    """A word the table or the endings read as a different Bokmål word ("tilsette", "særleg")."""
    return _bokmaal_word(word).lower() != word.lower()
