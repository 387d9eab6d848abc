"""The bot's own words, in the asker's language. The guideline's words are never here: those are quoted."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "source": {"nb": "Fra «{section}» · {title}, versjon {version}",
               "en": "From “{section}” · {title}, version {version}"},
    "translation_label": {"nb": "Uoffisiell engelsk oversettelse", "en": "Unofficial English translation"},
    "related": {"nb": "Se også", "en": "See also"},
    "declined": {"nb": "Veilederen sier ikke noe om dette, så jeg vil ikke gjette. Spør {contact}.",
                 "en": "The guideline does not cover this, so I won't guess. Please ask the communications team ({contact})."},
    "empty": {"nb": "Skriv et spørsmål om retningslinjene, så svarer jeg med det de sier (skriv «hjelp» for eksempler).",
              "en": "Ask me a question about the guidelines and I will answer with what they say (type “help” for examples)."},
    "too_long": {"nb": "Spørsmålet er for langt for meg (over {limit} tegn). Kan du korte det ned til det viktigste?",
                 "en": "That question is too long for me (over {limit} characters). Could you shorten it to the key point?"},
    "help": {"nb": "Jeg svarer på spørsmål om «{title}» ved å sitere teksten. Prøv for eksempel:\n{examples}\n"
                   "Vil du opprette en ny offisiell kanal? Bruk «{new_channel}».",
             "en": "I answer questions about “{title}” by quoting the text. Try for example:\n{examples}\n"
                   "Opening a new official channel? Use “{new_channel}”."},
    "escalation_answer": {"nb": "Kommunikasjonsteamet har svart på spørsmålet ditt «{question}»:\n{answer}",
                          "en": "The communications team answered your question “{question}”:\n{answer}"},
    "escalation_forwarded": {"nb": "Sendt til den som spurte.", "en": "Sent to the person who asked."},
    "escalation_reply_button": {"nb": "Svar og lær boten", "en": "Reply and teach the bot"},
    "escalation_reply_title": {"nb": "Svar på spørsmålet", "en": "Answer the question"},
    "escalation_reply_label": {"nb": "Svar til den som spurte", "en": "Reply to the person who asked"},
    "escalation_about_label": {"nb": "Hvilket avsnitt svarer på spørsmålet?", "en": "Which passage answers the question?"},
    "escalation_about_hint": {"nb": "Velg et avsnitt, så svarer boten selv neste gang.",
                              "en": "Pick a passage and the bot answers it itself next time."},
    "escalation_out_of_scope": {"nb": "Utenfor veilederen", "en": "Out of scope"},
    "escalation_form_empty": {"nb": "Skriv et svar eller velg et avsnitt.", "en": "Write a reply or pick a passage."},
    "escalation_attached": {"nb": "Spørsmålet er knyttet til «{title}»: boten svarer det selv fra nå.",
                            "en": "The question is attached to “{title}”: the bot answers it itself from now on."},
    "escalation_marked_out": {"nb": "Spørsmålet er merket som utenfor veilederen.",
                              "en": "The question is marked as out of scope."},
    "escalation_not_yours": {"nb": "Bare kommunikasjonsteamet kan svare på dette spørsmålet her.",
                             "en": "Only the communications team can answer this question here."},
    "send": {"nb": "Send", "en": "Send"},
    "help_about": {"nb": "Hva sier retningslinjene om «{section}»?", "en": "What does the guideline say about “{section}”?"},
    "clarify": {"nb": "Jeg er ikke sikker på hva du mener. Mente du en av disse?",
                "en": "I'm not sure what you mean. Did you mean one of these?"},
    "clarify_none": {"nb": "Ingen av disse – spør kommunikasjonsteamet", "en": "None of these – ask the communications team"},
    "feedback_up": {"nb": "👍 Nyttig", "en": "👍 Helpful"},
    "feedback_down": {"nb": "👎 Ikke nyttig", "en": "👎 Not helpful"},
    "ask_comms": {"nb": "Spør kommunikasjonsteamet", "en": "Ask the communications team"},
    "share": {"nb": "Del i kanalen", "en": "Share in channel"},
    "thanks_feedback": {"nb": "Takk for tilbakemeldingen!", "en": "Thanks for the feedback!"},
    "escalated": {"nb": "Spørsmålet ditt er sendt til kommunikasjonsteamet.",
                  "en": "Your question has been sent to the communications team."},
    "escalation_unconfigured": {"nb": "Ingen kanal for kommunikasjonsteamet er satt opp ennå. Kontakt {contact} direkte.",
                                "en": "No channel for the communications team is set up yet. Please contact {contact} directly."},
    "new_request_title": {"nb": "Ny offisiell kanal: {label}", "en": "New official channel: {label}"},
    "new_request_intro": {"nb": "{requester} vil opprette en offisiell kanal. Veilederen krever at kommunikasjonssjef informeres før den opprettes.",
                          "en": "{requester} wants to open an official channel. The guideline requires the communications chief to be informed before it is opened."},
    "acknowledge": {"nb": "Bekreft mottatt", "en": "Acknowledge"},
    "acknowledged_by": {"nb": "✅ Bekreftet av {who}", "en": "✅ Acknowledged by {who}"},
    "receipt": {"nb": "Takk! Forespørselen din er registrert som {label} og sendt til kommunikasjonssjefen. Du får beskjed når den er bekreftet.",
                "en": "Thanks! Your request is registered as {label} and sent to the communications chief. You will be told when it is acknowledged."},
    "receipt_waiting": {"nb": "Takk! Forespørselen din er registrert som {label}. Boten kan ikke nå kommunikasjonssjefen ennå (ikke satt opp, eller har ikke snakket med boten), så varselet venter og sendes så snart det går. Gi gjerne beskjed til {contact}.",
                        "en": "Thanks! Your request is registered as {label}. The bot cannot reach the communications chief yet (not set up, or has not talked to the bot), so the notice is kept and sent as soon as it can be. You may want to tell {contact}."},
    "request_acknowledged": {"nb": "Forespørselen din {label} er bekreftet av kommunikasjonssjefen ({who}).",
                             "en": "Your request {label} has been acknowledged by the communications chief ({who})."},
    "escalation_title": {"nb": "Spørsmål til kommunikasjonsteamet", "en": "Question for the communications team"},
    "escalation_body": {"nb": "{asker} spurte: {question}", "en": "{asker} asked: {question}"},
    "escalation_declined": {"nb": "Veilederen dekket ikke spørsmålet.", "en": "The guideline did not cover the question."},
    "escalation_answered": {"nb": "Boten svarte, men personen vil ha hjelp fra dere.", "en": "The bot answered, but the person would like your help."},
    "open_message": {"nb": "Se samtalen", "en": "Open the conversation"},
    "status_none": {"nb": "Du har ingen forespørsler om nye kanaler.", "en": "You have no new-channel requests."},
    "status_open_none": {"nb": "Ingen åpne forespørsler.", "en": "No open requests."},
    "status_more": {"nb": "… og {count} til, som ikke får plass her.", "en": "… and {count} more that do not fit here."},
    "status_title": {"nb": "Dine forespørsler", "en": "Your requests"},
    "status_title_all": {"nb": "Åpne forespørsler", "en": "Open requests"},
    "status_submitted": {"nb": "sendt", "en": "submitted"},
    "status_chief_notified": {"nb": "kommunikasjonssjef varslet", "en": "communications chief notified"},
    "status_acknowledged": {"nb": "bekreftet", "en": "acknowledged"},
    "submit": {"nb": "Send", "en": "Submit"},
    "cancel": {"nb": "Avbryt", "en": "Cancel"},
    "form_sent": {"nb": "Sendt som {label}. Kommunikasjonssjefen får beskjed.", "en": "Sent as {label}. The communications chief is notified."},
    "form_already_sent": {"nb": "Dette skjemaet er allerede sendt; forespørselen står som den er.", "en": "This form was already sent; the request stands as it is."},
    "form_intro": {"nb": "Før det opprettes en offisiell kanal skal kommunikasjonssjef informeres om kanalen og hvem som er ansvarlig redaktør. Fyll ut sjekklisten fra veilederen:",
                   "en": "Before an official channel is opened, the communications chief must be told about it and who the responsible editor is. Fill in the guideline's checklist:"},
    "not_allowed": {"nb": "Bare kommunikasjonssjefen eller kommunikasjonsteamet kan gjøre dette.",
                    "en": "Only the communications chief or team can do this."},
    "not_found": {"nb": "Fant ingen forespørsel med det nummeret.", "en": "No request with that number."},
    "shared_by": {"nb": "Delt av {who}", "en": "Shared by {who}"},
    "announcement": {"nb": "📘 Veilederen «{title}» er oppdatert til versjon {version}.",
                     "en": "📘 The guideline “{title}” has been updated to version {version}."},
    "announcement_rollback": {"nb": "📘 Veilederen «{title}» er satt tilbake til versjon {version}.",
                              "en": "📘 The guideline “{title}” has been rolled back to version {version}."},
    "announcement_sections": {"nb": "Endret: {sections}", "en": "Changed: {sections}"},
    "announcement_prompt": {"nb": "Lurer du på hva det betyr for deg? Spør meg i en direktemelding eller med /guideline.",
                            "en": "Wondering what it means for you? Ask me in a direct message or with /guideline."},
    "admin_only": {"nb": "Bare kommunikasjonsteamet kan bruke guideline-admin.",
                   "en": "Only the communications team can use guideline-admin."},
    "admin_login": {"nb": "Lenken åpner arbeidsbenken for kommunikasjonsteamet. Den virker én gang, i 10 minutter, og bare for deg: {link}",
                    "en": "This link opens the communications team's workbench. It works once, for 10 minutes, and only for you: {link}"},
    "admin_login_sent": {"nb": "Jeg har sendt deg en innloggingslenke i en direktemelding.",
                         "en": "I have sent you a sign-in link in a direct message."},
    "admin_login_private": {"nb": "Skriv «guideline-admin login» til meg i en personlig chat: lenken skal bare du se.",
                            "en": "Write “guideline-admin login” to me in a personal chat: only you should see the link."},
    "admin_usage": {"nb": "Bruk: login · history · publish [notat] · rollback VERSJON",
                    "en": "Usage: login · history · publish [note] · rollback VERSION"},
    "admin_confirm": {"nb": "Dette publiseres fra knowledge/ slik filene er nå:", "en": "This publishes knowledge/ as the files stand:"},
    "admin_publish": {"nb": "Publiser", "en": "Publish"},
    "admin_published": {"nb": "Versjon {version} (#{number}) er publisert og gjelder fra neste spørsmål.",
                        "en": "Version {version} (#{number}) is published and answers from the next question on."},
    "admin_rolled_back": {"nb": "Satt tilbake: versjon {version} (#{number}) gjelder nå.",
                          "en": "Rolled back: version {version} (#{number}) is live now."},
    "admin_stale": {"nb": "Filene er endret siden forhåndsvisningen. Kjør publish på nytt.",
                    "en": "The files changed since the preview. Run publish again."},
    "admin_failed": {"nb": "Ikke publisert: {error}", "en": "Not published: {error}"},
    "busy": {"nb": "Jeg har veldig mange spørsmål akkurat nå. Prøv igjen om et øyeblikk.",
             "en": "I have a lot of questions right now. Please try again in a moment."},
    "error": {"nb": "Beklager, noe gikk galt hos meg. Prøv igjen om litt.", "en": "Sorry, something went wrong on my side. Please try again in a moment."},
}


def say(key: str, lang: str, **values: Any) -> str:
    """A phrase in the asker's language (Norwegian when the language is unknown)."""
    variants = TEXTS[key]
    template = variants.get(lang) or variants["nb"]
    return template.format(**values) if values else template


def escalation_handled(forwarded: bool, attached_to: str, out_of_scope: bool, lang: str) -> str:
    """What the comms team's reply form did, for the thread it was sent from."""
    lines = [say("escalation_forwarded", lang)] if forwarded else []
    if attached_to:
        lines.append(say("escalation_attached", lang, title=attached_to))
    if out_of_scope:
        lines.append(say("escalation_marked_out", lang))
    return "\n".join(lines)


def decline_message(reason: str, lang: str, contact: str) -> str:
    """Why the bot does not answer, in the asker's language: one wording for every platform."""
    if reason == "empty":
        return say("empty", lang)
    if reason == "too_long":
        from .answers import MAX_QUESTION_CHARS

        return say("too_long", lang, limit=MAX_QUESTION_CHARS)
    if reason == "busy":
        return say("busy", lang)
    return say("declined", lang, contact=contact)


def help_text(guideline: Any, lang: str, new_channel: str, examples: Sequence[str] = (), greeting: str = "") -> str:
    """Help with the organisation's own examples (settings), else examples from its knowledge."""
    shown = list(examples[:5]) or knowledge_examples(guideline, lang)
    text = say("help", lang, title=guideline.titles, new_channel=new_channel, examples="\n".join("• " + e for e in shown))
    return f"{greeting}\n{text}" if greeting else text


def knowledge_examples(guideline: Any, lang: str) -> list[str]:
    """Three of the knowledge's alternative questions in the asker's language, from different sections;
    without any (a fresh import), its sections ("What does the guideline say about …?")."""
    from .analysis import detect_language

    questions: list[tuple[tuple[str, ...], str]] = [
        (p.section[:1], q) for p in guideline.passages for q in p.questions if detect_language(q) == lang]
    found: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for section, question in questions[::max(1, len(questions) // 6)]:
        if section not in seen and len(found) < 3:
            seen.add(section)
            found.append(question[:1].upper() + question[1:] + ("" if question.endswith("?") else "?"))
    if found:
        return found
    sections = list(dict.fromkeys(re.sub(r"^\d+(\.\d+)*\.?\s+", "", p.section[0]) for p in guideline.passages
                                  if p.section[0] not in ("Innledning", guideline.document_of(p).title)))
    sections = sections or [guideline.document.title]
    return [say("help_about", lang, section=name) for name in sections[:: max(1, len(sections) // 3)][:3]]
