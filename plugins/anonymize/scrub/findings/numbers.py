"""SSNs, NPI and DEA numbers (with check digits), record/plan/account/licence numbers, vehicles, devices, codes."""

from __future__ import annotations

import re
from functools import cache

from anonymize.scrub.findings.tables import alternation, tables

SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b")
SSN_CONTEXT = re.compile(r"\b(?:SSN|social security(?: number| no\.?)?)\s*(?:is|:|#)?\s*"
                         r"(\d{9}|\d{3}[- ]\d{2}[- ]\d{4})",
                         re.I)
TEN_DIGITS = re.compile(r"(?<![\d-])\d{10}(?![\d-])")
NPI_CONTEXT = re.compile(r"\bNPI\b\s*(?:number|no\.?|#|:)?\s*(\d{10})", re.I)
DEA = re.compile(r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b")
VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
IMEI = re.compile(r"\b\d{15}\b")
MAC = re.compile(r"\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b")
MAC_HINT = re.compile(r"[:-][0-9A-Fa-f]{2}[:-]")  # in every MAC
CODE = re.compile(r"(?<![\w/])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w/])")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def npi_valid(number: str) -> bool:
    """An NPI is valid when '80840' + its digits pass the Luhn check."""
    return len(number) == 10 and number[0] in "12" and _luhn("80840" + number)


def dea_valid(code: str) -> bool:
    d = [int(c) for c in code[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_VIN_VALUES = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_valid(vin: str) -> bool:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


def _keyword_numbers(words: list[str]) -> re.Pattern:
    # The value must hold a digit, so "pacemaker serial 7731-AQ" skips the word "serial" and finds the code;
    # spaces are allowed only between digit groups ("943 476 5919").
    return re.compile(rf"\b(?:{alternation(words)})\b\.?\s*(?:number|no\.?|num|ID|PIN|#)?\s*(?:is|was|:|#|=)?\s*"
                      rf"(?:[A-Z]{{2,4}}\s+(?=\d))?((?=[A-Z/-]*\d)[A-Z0-9](?:[A-Z0-9/-]|\s(?=\d)){{2,24}}[A-Z0-9])",
                      re.I)


PLATE = re.compile(r"\b(?:plate|(?<!nursing )registration|reg\.?)\s*(?:number|no\.?)?\s*(?:is|was|:|#)?\s*"
                   r"((?=[A-Z ]*\d)[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4})\b")
UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")


def identifiers(text: str):
    t = tables()
    for m in PLATE.finditer(text):
        if any(c.isdigit() for c in m.group(1)):
            yield "vehicle", m.start(1), m.end(1)
    for m in UK_PLATE.finditer(text):
        yield "vehicle", m.start(), m.end()
    for m in SSN.finditer(text):
        yield "ssn", m.start(), m.end()
    for m in SSN_CONTEXT.finditer(text):
        yield "ssn", m.start(1), m.end(1)
    for m in TEN_DIGITS.finditer(text):
        if npi_valid(m.group(0)):
            yield "npi", m.start(), m.end()
    for m in NPI_CONTEXT.finditer(text):
        yield "npi", m.start(1), m.end(1)
    for m in DEA.finditer(text):
        if dea_valid(m.group(0)):
            yield "dea", m.start(), m.end()
    for m in VIN.finditer(text):
        if any(c.isdigit() for c in m.group(0)) and vin_valid(m.group(0)):
            yield "vehicle", m.start(), m.end()
    for m in IMEI.finditer(text):
        if _luhn(m.group(0)) and not card_brand(m.group(0)):
            yield "device", m.start(), m.end()
    for kind, words in (("record-number", t["codes"]["record_words"]), ("device", t["codes"]["device_words"]),
                        ("vehicle", t["codes"]["vehicle_words"])):
        for m in _pattern(kind, tuple(words)).finditer(text):
            value = m.group(1)
            if sum(c.isdigit() for c in value) >= 2 and value.lower() not in t["public_codes"]:
                yield kind, m.start(1), m.end(1)


def macs(text: str):
    """MAC addresses, which can be written without a single decimal digit."""
    if not MAC_HINT.search(text):  # a separator is rare in prose and `re` scans for it in C
        return
    for m in MAC.finditer(text):
        yield "device", m.start(), m.end()


_patterns: dict = {}


def _pattern(kind: str, words: tuple[str, ...]) -> re.Pattern:
    if kind not in _patterns:
        _patterns[kind] = _keyword_numbers(list(words))
    return _patterns[kind]


def codes(text: str):
    """Other unique codes: tokens of 6+ characters mixing letters and at least 3 digits."""
    public = tables()["public_codes"]
    for m in CODE.finditer(text):
        token = m.group(0)
        digits = sum(c.isdigit() for c in token)
        if len(token) >= 6 and digits >= 3 and token.lower() not in public and not re.fullmatch(r"\d+(?:st|nd|rd|th|s)",
                                                                                               token):
            yield "unique-code", m.start(), m.end()


# Card numbers: 12-19 digits in groups of spaces or dashes, a known issuer prefix for their length, and the Luhn check.
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])")
# (prefix pattern, lengths): Visa, Mastercard, American Express, Discover, JCB (and its 15-digit 1800/2131),
# Diners Club, Maestro, UnionPay.
CARD_BRANDS = [
    (re.compile(r"4"), (13, 16, 19)), (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), (16,)),
    (re.compile(r"3[47]"), (15,)), (re.compile(r"6(?:011|5|4[4-9])"), (16, 17, 18, 19)),
    (re.compile(r"35"), (16, 17, 18, 19)), (re.compile(r"1800|2131"), (15,)),
    (re.compile(r"3(?:0[0-5]|[68])"), (14, 15, 16)), (re.compile(r"5[06-9]|6\d"), tuple(range(12, 20))),
    (re.compile(r"62"), (16, 17, 18, 19)),
]


def card_brand(digits: str) -> bool:
    """Whether `digits` has a card issuer's prefix and one of its lengths (the Luhn check is separate)."""
    return any(p.match(digits) and len(digits) in lengths for p, lengths in CARD_BRANDS)


def cards(text: str):
    for m in CARD.finditer(text):
        raw = m.group(0)
        digits = raw.replace(" ", "").replace("-", "")
        groups = re.split(r"[ -]", raw)
        if len(groups) > 1 and any(len(g) < 3 for g in groups):
            continue  # "4 12 2024 ..." is not one number
        if card_brand(digits) and _luhn(digits):
            yield "card-number", m.start(), m.end()


IBAN = re.compile(r"\b[A-Z]{2}\d{2}[ ]?(?:[A-Z0-9]{4}[ ]?){2,7}[A-Z0-9]{1,4}\b")
NATIONAL_IDS = [
    # (kind of number, pattern, validator module under stdnum or None for format alone)
    (re.compile(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-Z]\b"), None),  # UK National Insurance number
    (re.compile(r"\b[12][ ]?\d{2}[ ]?\d{2}[ ]?(?:\d{2}|2[AB])[ ]?\d{3}[ ]?\d{3}(?:[ ]?\d{2})?\b"), "fr.nir"),
    (re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b"), "it.codicefiscale"),
    (re.compile(r"\b\d{8}-?[A-Z]\b"), "es.dni"),
    (re.compile(r"\b[XYZ]-?\d{7}-?[A-Z]\b"), "es.nie"),
    (re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b|(?<![\d-])\d{11}(?![\d-])"), "br.cpf"),
    (re.compile(r"(?<![\d-])\d{9}(?![\d-])|\b\d{4}\.\d{2}\.\d{3}\b"), "nl.bsn"),
    (re.compile(r"(?<![\d-])\d{11}(?![\d-])"), "de.idnr"),
    (re.compile(r"\b\d{3}[ ]?\d{3}[ ]?\d{4}\b"), "gb.nhs"),
]


@cache
def _validator(name: str):
    import importlib

    return importlib.import_module(f"stdnum.{name}").is_valid


def national_ids(text: str):
    """IBANs and national identity numbers, each checked by python-stdnum where it has a check digit."""
    if IBAN.search(text):
        iban_valid = _validator("iban")
        for m in IBAN.finditer(text):
            if iban_valid(m.group(0)):
                yield "iban", m.start(), m.end()
    for pattern, validator in NATIONAL_IDS:
        for m in pattern.finditer(text):
            if validator is None or _validator(validator)(m.group(0)):
                yield "national-id", m.start(), m.end()


PLATE_WORDS = re.compile(r"\b(?:(?:licen[cs]e|number|registration|reg\.?)[ \t]+plate|plates?|(?<!asset )tag"
                         r"|(?:car|vehicle|van)[ \t]+registration"
                         r"|matrícula|matricola|targa|Kennzeichen|immatriculation|kenteken|placa)"
                         r"(?:[ \t]+(?:number|no\.?|#))?[ \t]*(?:is|was|reads|read|:|#|=)?[ \t]*"
                         r"(?-i:((?=[A-ZÄÖÜ0-9 -]*\d)[A-ZÄÖÜ0-9]{1,4}(?:[ -]?[A-ZÄÖÜ0-9]{1,4}){1,3}))\b", re.I)


def plates(text: str):
    """Vehicle plates after the word for a plate, in any of the formats countries use (letters, digits, groups)."""
    for m in PLATE_WORDS.finditer(text):
        value = m.group(1)
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value) or len(value.replace(" ", "")) >= 5:
            if value.upper() == value:
                yield "vehicle", m.start(1), m.end(1)
