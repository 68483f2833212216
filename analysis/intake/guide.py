"""The text of the template's first sheet, *Veiledning* (Norwegian bokmål): what to fill in and what the import does.

``guide_lines`` gives the lines in order (an empty string is an empty line);
``HEADINGS`` are the lines written as headings.
"""

from __future__ import annotations

from datetime import date

__all__ = ["TITLE", "REJECTED_HEADING", "HEADINGS", "guide_lines"]

TITLE = "Ny årgang"
REJECTED_HEADING = "Dette avvises (ingenting blir lagret før alt er rettet)"
HEADINGS = frozenset({"Hva du skal fylle inn", "Tallformater som godtas", REJECTED_HEADING, "Hva skjer ved import"})


def guide_lines(year: int, made: date) -> list[str]:
    """The guide for the template of ``year``, made on ``made``."""
    return [
        f"Denne arbeidsboken er malen for å legge inn tallene for {year} i virksomhetsanalysen for Bærum kommune. "
        f"Den ble laget {made:%d.%m.%Y} med kommandoen «virksomhetsanalyse template --year {year}» fra tallene i data/.",
        "",
        "Hva du skal fylle inn",
        "• Hvert ark er ett datasett (listen står nederst). Hver rad er én indikator for én gruppe, og kolonnene er årene.",
        f"• Skriv tallene for {year} i den gule kolonnen «{year}». Den og kolonnen «Kilde» er de eneste som er åpne; "
        "tidligere år er låst og skal ikke endres.",
        "• Skriv tallet slik det er trykt i kilden, med samme antall desimaler. Prosenter skrives i prosent (12,8 betyr 12,8 %).",
        f"• Kolonnen «Kilde» (gul, den siste) er kilden til tallet for {year} i samme rad: dokumentet, systemet eller tabellen "
        "tallet er hentet fra, for eksempel «Bærum kommune, HR-systemet». Den er fylt ut med kilden for året før. Gjelder den "
        "fortsatt, lar du den stå; ellers skriver du den riktige kilden. Kilden lagres med tallet (i data/provenance.csv), "
        "og kildenoten under tabellene i boken nevner kilden for hvert år.",
        "• Kolonnene indikator_id og gruppe_id (grå) brukes av importen for å finne raden igjen. Ikke endre dem, og ikke endre, "
        "flytt, sett inn eller slett kolonner eller kolonneoverskrifter.",
        "• Tomme celler betyr «ikke tilgjengelig ennå»: ingenting lagres for dem, og tallet kan legges inn ved en senere import. "
        f"Et datasett uten tall for {year} får ingen rader for {year}.",
        "",
        "Tallformater som godtas",
        "• Desimalkomma: 12,8 (desimalpunktum, 12.8, godtas også; 1.234 avvises fordi det kan bety både 1,234 og 1234).",
        "• Mellomrom som tusenskille, vanlig eller hardt mellomrom: 1 163,5.",
        "• Prosent: 12,8 % eller 12,8% – bare for indikatorer med enhet %. Tallet lagres i prosent (12,8).",
        "• Minus: -3,5 eller −3,5.",
        "• Tall lagret som tekst (for eksempel med apostrof foran: '104,0): desimalene lagres nøyaktig slik du skrev dem.",
        "• Tall i tallceller: cellens tallformat bestemmer hvor mange desimaler som lagres. Kolonnen er forhåndsformatert med samme "
        "antall desimaler som året før; endre tallformatet hvis kilden trykker et annet antall. Har cellen formatet Standard, lagres "
        "tallet uten unødvendige desimaler (104 og ikke 104,0).",
        "",
        REJECTED_HEADING,
        "• Tekst i en tallcelle (for eksempel «ca. 12», «–» eller «n/a»). La cellen stå tom hvis tallet mangler.",
        "• Feilverdier fra Excel: #REF!, #DIV/0!, #VALUE!, #N/A og lignende.",
        "• Formler uten beregnet verdi (filen må være lagret i Excel etter at formlene er regnet ut). Skriv helst tallet direkte.",
        "• Tall utenfor enhetens gyldige område, for eksempel negative årsverk eller andeler over 100 %.",
        "• Prosenttegn på indikatorer som ikke måles i %.",
        f"• Et tall for {year} uten kilde: kolonnen «Kilde» kan ikke være tom i en rad med tall.",
        "• Nye ark, rader med ukjent indikator eller gruppe, omdøpte eller flyttede kolonner og endrede tall for tidligere år.",
        "• Et tall som ville endre et tall som allerede finnes i data/ (samme indikator, gruppe og år), med mindre importen "
        "kjøres med --replace.",
        "",
        "Hva skjer ved import",
        f"• «virksomhetsanalyse import mal-{year}.xlsx --dry-run» viser hva som blir lagt inn, uten å skrive noe.",
        f"• «virksomhetsanalyse import mal-{year}.xlsx» kontrollerer hele arbeidsboken først. Finnes det feil, listes alle med ark, "
        "celle (for eksempel G7), hva som var ventet og hva som ble funnet, og ingenting blir skrevet.",
        "• Er alt i orden, legges tallene inn i data/ i én operasjon, hele datapakken kontrolleres på nytt, og importen føres i "
        "endringsloggen i data/ (filnavn, sjekksum, tidspunkt, datasett og år, og erstattede verdier). Kilden til hvert tall "
        "lagres i data/provenance.csv; med --replace får et rettet tall kilden som står i raden.",
        "• Et år kan fylles ut i flere omganger: lag en ny mal når flere tall er klare. Tall som allerede er importert, står da "
        "ferdig utfylt; like tall hoppes over, og nye tall i tomme celler legges til.",
        f"• Vil du rette et tall som allerede finnes i data/, lag en mal for det året (for eksempel --year {year}), skriv det nye "
        "tallet og kjør importen med --replace. Da vises hver endring (gammel → ny verdi) før den skrives. Tomme celler sletter ingenting.",
        "• Et enkelt ark kan også lagres som CSV (semikolon- eller kommaseparert, UTF-8 eller Windows-tegnsett). Filnavnet må være "
        "datasettets navn (for eksempel osu_arsverk.csv); ellers oppgis datasettet med --dataset. Mangler filen kolonnen «Kilde», "
        'oppgis kilden for alle tallene med --source, for eksempel --source "Bærum kommune, HR-systemet".',
        f"• Etter importen: «virksomhetsanalyse validate», og deretter «virksomhetsanalyse build --year {year}».",
    ]
