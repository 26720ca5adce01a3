"""SSNs, NPI and DEA numbers (with check digits), record/plan/account/licence numbers, vehicles, devices, codes."""

from __future__ import annotations

import re

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
        if _luhn(m.group(0)):
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
