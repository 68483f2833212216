"""The text of the template's first sheet, *Veiledning* (Norwegian bokmål): what to fill in and what the import does.

``guide_lines`` gives the lines in order (an empty string is an empty line);
``HEADINGS`` are the lines written as headings. ``same_fact_lines`` says where
each figure printed in two tables is typed, ``sheet_lines`` lists the sheets,
and the sources already in use follow ``SOURCES_HEADING`` (the *Kilde*
drop-down reads them there).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.utils import get_column_letter

from analysis.intake.template import SheetLayout

__all__ = ["TITLE", "REJECTED_HEADING", "SAME_FACT_HEADING", "SHEETS_HEADING", "SOURCES_HEADING", "HEADINGS"]
__all__ += ["guide_lines", "same_fact_lines", "sheet_lines"]

TITLE = "Ny årgang"
REJECTED_HEADING = "Dette avvises (ingenting blir lagret før alt er rettet)"
SAME_FACT_HEADING = "Tall som står i to ark"
SHEETS_HEADING = "Arkene"
SOURCES_HEADING = "Kilder som allerede er brukt (valgene i kolonnen «Kilde»)"
HEADINGS = frozenset(
    {
        "Hva du skal fylle inn",
        "Slik skriver du tallene",
        REJECTED_HEADING,
        "Kontroll før lagring",
        "Hva skjer ved import",
        SAME_FACT_HEADING,
        SHEETS_HEADING,
    }
)


def guide_lines(year: int, made: date) -> list[str]:
    """The guide for the template of ``year``, made on ``made``."""
    return [
        f"Denne arbeidsboken er malen for å legge inn tallene for {year} i virksomhetsanalysen for Bærum kommune. "
        f"Den ble laget {made:%d.%m.%Y} med kommandoen «virksomhetsanalyse template --year {year}» fra tallene i data/. "
        "Den kan fylles ut i Excel eller LibreOffice Calc og lagres som .xlsx eller .ods.",
        "",
        "Hva du skal fylle inn",
        "• Hvert ark er ett datasett (listen står nederst). Hver rad er én indikator for én gruppe, og kolonnene er årene.",
        f"• Skriv tallene for {year} i den gule kolonnen «{year}». Den og kolonnen «Kilde» er de eneste som er åpne; "
        "tidligere år er låst. Når du står i en celle, viser en merknad enheten og tallet for året før.",
        f"• Kolonnen «Kilde» (gul, den siste) er kilden til tallet for {year} i samme rad: dokumentet, systemet eller tabellen "
        "tallet er hentet fra, for eksempel «Bærum kommune, HR-systemet». Velg en kilde fra listen i cellen (kildene som "
        "allerede er brukt, står også nederst på dette arket), eller skriv den riktige kilden. Kilden lagres med tallet "
        "(i data/provenance.csv), og kildenoten under tabellene i boken nevner kilden for hvert år.",
        "• Virksomhetsanalysen fra et tidligere år kan ikke være kilden til et nytt tall. Derfor er «Kilde» tom der "
        "tallet for året før kom fra rapporten, og importen avviser et nytt tall som har rapporten som kilde.",
        "• Kolonnene indikator_id og gruppe_id (grå) brukes av importen for å finne raden igjen. Ikke endre dem, og ikke endre, "
        "flytt, sett inn eller slett kolonner eller kolonneoverskrifter.",
        "• Tomme celler betyr «ikke tilgjengelig ennå»: ingenting lagres for dem, og tallet kan legges inn ved en senere import. "
        f"Et datasett uten tall for {year} får ingen rader for {year}.",
        "",
        "Slik skriver du tallene",
        "• Skriv tallet slik det er trykt i kilden. Bruk desimalkomma: 7,1 og 1 422,3 (mellomrom som tusenskille går fint).",
        "• Ikke bruk desimalpunktum: i et norsk regneark blir 7.1 til datoen 7. januar. Importen avviser datoer i tallceller "
        "og sier hvilken dato cellen fikk.",
        "• Andeler i prosent skrives med prosenttegn: 30 % eller 7,1 %. Cellene for andeler er formatert som prosent, så "
        "tallet vises som 30 % og lagres som 30. I Excel blir også 30 uten prosenttegn til 30 %; LibreOffice Calc godtar "
        "bare 30 % eller 30%.",
        "• Minus: -3,5 eller −3,5.",
        "• Antall desimaler: tallformatet i cellen bestemmer hvor mange desimaler som lagres. Kolonnen er formatert med samme "
        "antall desimaler som året før; endre tallformatet (for eksempel med knappene for flere eller færre desimaler) hvis "
        "kilden trykker et annet antall.",
        "• Regnearket stopper et tall utenfor enhetens gyldige område mens du skriver det (for eksempel negative årsverk eller "
        "andeler over 100 %), og sier hvordan tallet skal skrives.",
        "",
        REJECTED_HEADING,
        "• Tekst i en tallcelle (for eksempel «ca. 12», «–» eller «n/a»). La cellen stå tom hvis tallet mangler.",
        "• Datoer i en tallcelle (se over), feilverdier (#REF!, #DIV/0!, #VERDI! og lignende) og formler uten beregnet verdi.",
        "• Tall utenfor enhetens gyldige område, og prosenttegn på indikatorer som ikke måles i %.",
        f"• Et tall for {year} uten kilde, eller med virksomhetsanalysen fra et tidligere år som kilde.",
        "• Nye ark, rader med ukjent indikator eller gruppe, omdøpte eller flyttede kolonner og endrede tall for tidligere år.",
        "• Et tall som ville endre et tall som allerede finnes i data/ (samme indikator, gruppe og år), med mindre importen "
        "kjøres med --replace.",
        "",
        "Kontroll før lagring",
        "• Importen viser en tabell over hvert nytt eller endret tall: datasett, indikator, enhet, tallet for året før, det nye "
        "tallet og endringen. Les den før du går videre.",
        "• Tall som ser feil ut, flagges: en endring større enn serien noen gang har hatt, en andel som hopper til 0 % eller "
        "100 %, eller et tall som er ti ganger eller en tidel av tallet året før (typisk 30 skrevet som 0,3, eller et "
        "komma på feil sted). Meldingen nevner ark og celle. Er tallet riktig, kjøres importen på nytt med --accept-flagged.",
        "",
        "Hva skjer ved import",
        f"• «virksomhetsanalyse import mal-{year}.xlsx --dry-run» kontrollerer alt og viser tabellen, uten å skrive noe.",
        f"• «virksomhetsanalyse import mal-{year}.xlsx» kontrollerer hele arbeidsboken først. Finnes det feil, listes alle med ark, "
        "celle (for eksempel K7), hva som var ventet og hva som ble funnet, og ingenting blir skrevet.",
        "• Er alt i orden, legges tallene inn i data/ i én operasjon, hele datapakken kontrolleres på nytt, og importen føres i "
        "endringsloggen i data/ (filnavn, sjekksum, tidspunkt, datasett og år, og erstattede verdier). En kopi av arbeidsboken "
        "tas vare på under sjekksummen sin (i workbooks/imported/), så hvert tall kan spores tilbake til filen det kom fra.",
        "• Et år kan fylles ut i flere omganger: lag en ny mal når flere tall er klare. Tall som allerede er importert, står da "
        "ferdig utfylt; like tall hoppes over, og nye tall i tomme celler legges til. En mal som finnes fra før, "
        "overskrives ikke uten --force.",
        f"• Vil du rette et tall som allerede finnes i data/, lag en mal for det året (for eksempel --year {year}), skriv det nye "
        "tallet og kjør importen med --replace. Da vises hver endring (gammel → ny verdi) før den skrives. Tomme celler sletter ingenting.",
        "• Et enkelt ark kan også lagres som CSV (semikolon- eller kommaseparert, UTF-8 eller Windows-tegnsett). Filnavnet må være "
        "datasettets navn (for eksempel osu_arsverk.csv); ellers oppgis datasettet med --dataset. Mangler filen kolonnen «Kilde», "
        'oppgis kilden for alle tallene med --source, for eksempel --source "Bærum kommune, HR-systemet".',
        f"• Etter importen: «virksomhetsanalyse validate», og deretter «virksomhetsanalyse build --year {year}».",
    ]


def same_fact_lines(sheets: Sequence[SheetLayout]) -> list[str]:
    """Where each figure printed in two tables is typed (and where it is copied), as guide lines."""
    by_dataset = {s.dataset: s for s in sheets}
    lines = []
    for layout in sheets:
        for r, row in enumerate(layout.rows, start=2):
            if not row.copied_to:
                continue
            cell = f"{get_column_letter(layout.new_column)}{r}"
            copies = " og ".join(f"arket {by_dataset[d].sheet if d in by_dataset else d}" for d, _, _ in row.copied_to)
            lines.append(
                f"• «{row.indicator_label}» ({row.group_label}) skrives bare i arket {layout.sheet}, celle {cell}. Importen kopierer "
                f"tallet og kilden til {copies}, der raden er grå og låst og viser tallet du skrev."
            )
    if not lines:
        return []
    return [SAME_FACT_HEADING, "• Noen tall står i to tabeller i rapporten og dermed i to ark. De skrives bare én gang:", *lines]


def sheet_lines(sheets: Sequence[SheetLayout]) -> list[str]:
    """One line per dataset sheet: the sheet, its title and the document's section."""
    return [SHEETS_HEADING, *(f"• {s.sheet}: {s.title} ({s.source})" for s in sheets)]
