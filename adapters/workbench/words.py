"""The workbench's own words: Bokmål first, English when the browser prefers it."""
from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "title": {"nb": "Arbeidsbenk for retningslinje-boten", "en": "Guideline bot workbench"},
    "skip": {"nb": "Hopp til innholdet", "en": "Skip to content"},
    "nav": {"nb": "Hovedmeny", "en": "Main menu"},
    "inbox": {"nb": "Innboks", "en": "Inbox"},
    "knowledge": {"nb": "Kunnskap", "en": "Knowledge"},
    "publish": {"nb": "Publisering", "en": "Publishing"},
    "requests": {"nb": "Kanalforespørsler", "en": "Channel requests"},
    "health": {"nb": "Svarhelse", "en": "Answer health"},
    "decided": {"nb": "Avgjort", "en": "Decided"},
    "signed_in_as": {"nb": "Logget inn som {who}", "en": "Signed in as {who}"},
    "sign_out": {"nb": "Logg ut", "en": "Sign out"},
    # sign-in
    "signin_title": {"nb": "Logg inn", "en": "Sign in"},
    "signin_how": {"nb": "Skriv «guideline-admin login» til boten i Slack eller Teams. "
                         "Du får en lenke som virker én gang, i 10 minutter.",
                   "en": "Write “guideline-admin login” to the bot in Slack or Teams. "
                         "You get a link that works once, for 10 minutes."},
    "signin_button": {"nb": "Logg inn på arbeidsbenken", "en": "Sign in to the workbench"},
    "signin_link_intro": {"nb": "Lenken fra boten logger deg inn når du trykker på knappen.",
                          "en": "The link from the bot signs you in when you press the button."},
    "token_label": {"nb": "Administratornøkkel (GUIDEBOT_ADMIN_TOKEN), for første oppsett",
                    "en": "Admin token (GUIDEBOT_ADMIN_TOKEN), for the first set-up"},
    "token_button": {"nb": "Logg inn med nøkkelen", "en": "Sign in with the token"},
    "link_refused": {"nb": "Lenken er brukt, utløpt eller ukjent. Be boten om en ny: «guideline-admin login».",
                     "en": "This link is used, expired or unknown. Ask the bot for a new one: “guideline-admin login”."},
    "token_refused": {"nb": "Feil administratornøkkel.", "en": "Wrong admin token."},
    "need_signin": {"nb": "Du må logge inn for å se arbeidsbenken.", "en": "Sign in to see the workbench."},
    "csrf_refused": {"nb": "Skjemaet kunne ikke kontrolleres (utløpt eller forfalsket). Last siden på nytt og prøv igjen.",
                     "en": "The form could not be verified (expired or forged). Reload the page and try again."},
    # inbox
    "inbox_intro": {"nb": "Spørsmål boten avslo, spurte tilbake om, eller som fikk tommel ned. Mest spurt og nyest først.",
                    "en": "Questions the bot declined, asked back about, or that got a thumbs down. "
                          "Most asked and newest first."},
    "inbox_empty": {"nb": "Innboksen er tom.", "en": "The inbox is empty."},
    "question": {"nb": "Spørsmål", "en": "Question"},
    "times": {"nb": "Ganger", "en": "Times"},
    "last_asked": {"nb": "Sist spurt", "en": "Last asked"},
    "why": {"nb": "Hvorfor her", "en": "Why here"},
    "bot_chose": {"nb": "Boten valgte", "en": "The bot chose"},
    "reason_decline": {"nb": "avslått", "en": "declined"},
    "reason_clarify": {"nb": "spurte tilbake", "en": "asked back"},
    "reason_down": {"nb": "fikk tommel ned", "en": "got a thumbs down"},
    "reason_answer": {"nb": "besvart", "en": "answered"},
    "handle": {"nb": "Behandle", "en": "Handle"},
    "suggested": {"nb": "Forslag fra «Mente du»-valg i chatten: {title}",
                  "en": "Suggested by a “Did you mean” pick in chat: {title}"},
    "confirm_suggestion": {"nb": "Bekreft forslaget", "en": "Confirm the suggestion"},
    "wordings": {"nb": "Slik ble det spurt", "en": "How it was asked"},
    "answered_by": {"nb": "Dette besvares av …", "en": "This is answered by …"},
    "search_passages": {"nb": "Søk etter avsnitt", "en": "Search passages"},
    "search": {"nb": "Søk", "en": "Search"},
    "attach": {"nb": "Dette avsnittet svarer", "en": "This passage answers it"},
    "out_of_scope": {"nb": "Utenfor veilederen", "en": "Out of scope"},
    "needs_rule": {"nb": "Veilederen trenger en ny regel", "en": "The guideline needs a new rule"},
    "other_choices": {"nb": "Andre valg", "en": "Other choices"},
    "attached_done": {"nb": "Knyttet til «{title}». Boten svarer på spørsmålet nå.",
                      "en": "Attached to “{title}”. The bot answers the question now."},
    "decided_done": {"nb": "Lagret.", "en": "Saved."},
    "decided_intro": {"nb": "Spørsmål som er avgjort, med hvem og når.", "en": "Questions decided, with who and when."},
    "when": {"nb": "Når", "en": "When"},
    "who": {"nb": "Hvem", "en": "Who"},
    "passage": {"nb": "Avsnitt", "en": "Passage"},
    "document": {"nb": "Dokument", "en": "Document"},
    "owner": {"nb": "eier", "en": "owner"},
    "rule_document": {"nb": "Hvilken veileder skal ha regelen?", "en": "Which guideline should have the rule?"},
    # knowledge
    "documents": {"nb": "Dokumenter", "en": "Documents"},
    "passages": {"nb": "Avsnitt", "en": "Passages"},
    "version": {"nb": "Versjon", "en": "Version"},
    "section": {"nb": "Del", "en": "Section"},
    "edit": {"nb": "Rediger", "en": "Edit"},
    "official_text": {"nb": "Offisiell tekst (endres bare ved å publisere en ny versjon av dokumentet)",
                      "en": "Official text (changed only by publishing a new version of the document)"},
    "translation": {"nb": "Uoffisiell engelsk oversettelse", "en": "Unofficial English translation"},
    "questions": {"nb": "Alternative spørsmål (ett per linje)", "en": "Alternative questions (one per line)"},
    "keywords": {"nb": "Nøkkelord (skilt med komma)", "en": "Keywords (separated by commas)"},
    "preview": {"nb": "Vis hva boten ville svart annerledes", "en": "Show what the bot would answer differently"},
    "save_draft": {"nb": "Lagre i utkastet", "en": "Save to the draft"},
    "preview_title": {"nb": "Slik ville boten svart annerledes", "en": "How the bot would answer differently"},
    "preview_none": {"nb": "Ingen av innboksens spørsmål ville fått et annet svar.",
                     "en": "None of the inbox's questions would get a different answer."},
    "before": {"nb": "Før", "en": "Before"},
    "after": {"nb": "Etter", "en": "After"},
    "saved_draft": {"nb": "Lagret i utkastet. Publiser det på publiseringssiden.",
                    "en": "Saved to the draft. Publish it on the publishing page."},
    # publish
    "draft": {"nb": "Utkast mot gjeldende versjon", "en": "Draft against the live version"},
    "draft_empty": {"nb": "Utkastet er tomt.", "en": "The draft is empty."},
    "note": {"nb": "Notat (påkrevd): hva er endret og hvorfor", "en": "Note (required): what changed and why"},
    "publish_button": {"nb": "Publiser utkastet", "en": "Publish the draft"},
    "discard": {"nb": "Forkast utkastet", "en": "Discard the draft"},
    "history": {"nb": "Historikk", "en": "History"},
    "action": {"nb": "Handling", "en": "Action"},
    "author": {"nb": "Av", "en": "By"},
    "live": {"nb": "gjeldende", "en": "live"},
    "rollback": {"nb": "Sett tilbake til denne", "en": "Roll back to this"},
    "published_done": {"nb": "Publisert: versjon {version} (#{number}) gjelder fra neste spørsmål.",
                       "en": "Published: version {version} (#{number}) answers from the next question on."},
    "rolled_back_done": {"nb": "Satt tilbake: #{number} gjelder nå.", "en": "Rolled back: #{number} is live now."},
    "failed": {"nb": "Ikke gjort: {error}", "en": "Not done: {error}"},
    "action_publish": {"nb": "publisert", "en": "published"},
    "action_rollback": {"nb": "tilbakestilt", "en": "rolled back"},
    "action_seed": {"nb": "første versjon", "en": "first version"},
    "added": {"nb": "nytt avsnitt", "en": "new passage"},
    "removed": {"nb": "fjernet avsnitt", "en": "removed passage"},
    "field": {"nb": "Felt", "en": "Field"},
    "field_text": {"nb": "offisiell tekst", "en": "official text"},
    "field_title": {"nb": "tittel", "en": "title"},
    "field_translation": {"nb": "oversettelse", "en": "translation"},
    "field_questions": {"nb": "alternative spørsmål", "en": "alternative questions"},
    "field_keywords": {"nb": "nøkkelord", "en": "keywords"},
    "glossary": {"nb": "Ordlisten er endret", "en": "The glossary changed"},
    # requests
    "request": {"nb": "Forespørsel", "en": "Request"},
    "requester": {"nb": "Bestiller", "en": "Requested by"},
    "status": {"nb": "Status", "en": "Status"},
    "acknowledge": {"nb": "Bekreft", "en": "Acknowledge"},
    "acknowledged_by": {"nb": "Bekreftet av {who}", "en": "Acknowledged by {who}"},
    "requests_empty": {"nb": "Ingen forespørsler ennå.", "en": "No requests yet."},
    "ack_done": {"nb": "{label} er bekreftet, og bestilleren får beskjed.",
                 "en": "{label} is acknowledged; the requester is told."},
    # health
    "week": {"nb": "Uke", "en": "Week"},
    "answered": {"nb": "Besvart", "en": "Answered"},
    "clarified": {"nb": "Spurte tilbake", "en": "Asked back"},
    "declined": {"nb": "Avslått", "en": "Declined"},
    "votes": {"nb": "Tommel opp / ned", "en": "Thumbs up / down"},
    "top_passages": {"nb": "Mest spurt om", "en": "Most asked about"},
    "chart_title": {"nb": "Spørsmål per uke, etter utfall", "en": "Questions per week, by outcome"},
    "no_data": {"nb": "Ingen spørsmål ennå.", "en": "No questions yet."},
    "not_found": {"nb": "Fant ikke siden.", "en": "Page not found."},
}


def word(key: str, lang: str, **values: object) -> str:
    texts = WORDS[key]
    return (texts.get(lang) or texts["nb"]).format(**values)


def preferred_language(accept_language: str) -> str:
    """English only when the browser puts English before any Norwegian; Bokmål otherwise."""
    ranked = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith(("nb", "nn", "no")):
            return "nb"
        if tag.startswith("en"):
            return "en"
    return "nb"
