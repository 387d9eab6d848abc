"""The bot's own words, in the asker's language. The guideline's words are never here: those are quoted."""
from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "source": {"nb": "Fra «{section}» · {title}, versjon {version}",
               "en": "From “{section}” · {title}, version {version}"},
    "translation_label": {"nb": "Uoffisiell engelsk oversettelse", "en": "Unofficial English translation"},
    "related": {"nb": "Se også", "en": "See also"},
    "declined": {"nb": "Veilederen sier ikke noe om dette, så jeg vil ikke gjette. Spør {contact}.",
                 "en": "The guideline does not cover this, so I won't guess. Please ask the communications team ({contact})."},
    "empty": {"nb": "Skriv et spørsmål om veilederen for sosiale medier, for eksempel «Kan jeg legge ut bilde av barn?»",
              "en": "Ask me a question about the social media guideline, for example “Can I post a photo of kids?”"},
    "too_long": {"nb": "Spørsmålet er for langt for meg (over {limit} tegn). Kan du korte det ned til det viktigste?",
                 "en": "That question is too long for me (over {limit} characters). Could you shorten it to the key point?"},
    "help": {"nb": "Jeg svarer på spørsmål om «{title}» ved å sitere veilederen. Prøv for eksempel:\n"
                   "• Kan jeg legge ut bilde av barn?\n• Må jeg si fra før jeg lager en Facebook-side?\n"
                   "• Kan jeg si min mening om politikk på Facebook?\n"
                   "Vil du opprette en ny offisiell kanal? Bruk «{new_channel}».",
             "en": "I answer questions about “{title}” by quoting the guideline. Try for example:\n"
                   "• Can I post a photo of kids?\n• Do I need approval to open a Facebook page?\n"
                   "• Can I share political opinions on my private profile?\n"
                   "Opening a new official channel? Use “{new_channel}”."},
    "feedback_up": {"nb": "👍 Nyttig", "en": "👍 Helpful"},
    "feedback_down": {"nb": "👎 Ikke nyttig", "en": "👎 Not helpful"},
    "ask_comms": {"nb": "Spør kommunikasjonsteamet", "en": "Ask the communications team"},
    "share": {"nb": "Del i kanalen", "en": "Share in channel"},
    "thanks_feedback": {"nb": "Takk for tilbakemeldingen!", "en": "Thanks for the feedback!"},
    "escalated": {"nb": "Spørsmålet ditt er sendt til kommunikasjonsteamet.",
                  "en": "Your question has been sent to the communications team."},
    "escalation_unconfigured": {"nb": "Ingen kanal for kommunikasjonsteamet er satt opp ennå. Kontakt {contact} direkte.",
                                "en": "No channel for the communications team is set up yet. Please contact {contact} directly."},
}


def say(key: str, lang: str, **values: Any) -> str:
    """A phrase in the asker's language (Norwegian when the language is unknown)."""
    variants = TEXTS[key]
    template = variants.get(lang) or variants["nb"]
    return template.format(**values) if values else template
