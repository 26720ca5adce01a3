"""The findings' evaluation corpus: labeled text this project generates and writes, and a clean control.

- `generated()`: essays built from healthcare sentence templates filled by Faker in eight locales (names, addresses,
  postcodes, dates and numbers as each locale writes them), labeled as they are built. Seeded: the same corpus
  every run. Faker is a test dependency and the source of test data only, never of a detector's data.
- `written()`: first-person essays written for this corpus, with their labels beside them
  (tests/corpus/findings/essays/NAME.md and NAME.json: [[kind, text], ...]).
- `control()`: first-person healthcare commentary with no identifiers (tests/corpus/findings/control/*.md).

bench/findings_recall.py measures recall per class and the control's false findings on these.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
ESSAYS = HERE / "corpus" / "findings" / "essays"
CONTROL = HERE / "corpus" / "findings" / "control"
LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR")


@dataclass
class Labeled:
    name: str
    text: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (kind, exact text)


class _Essay:
    """Builds text and labels together: `add("I met {name:name} at {institution}.", name=..., ...)`."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[tuple[str, str]] = []

    def add(self, template: str, **values: tuple[str, str]) -> None:
        out = template
        for key, (kind, value) in values.items():
            out = out.replace("{" + key + "}", value)
            if kind:
                self.labels.append((kind, value))
        self.parts.append(out)


def _values(fake, rng: random.Random, locale: str) -> dict[str, tuple[str, str]]:
    """One of each identifier, as this locale writes it, with its kind."""
    first, last = fake.first_name(), fake.last_name()
    other_first, other_last = fake.first_name(), fake.last_name()
    city = fake.city()
    street = fake.street_address()
    postcode = fake.postcode()
    address = fake.address().replace("\n", ", ")
    date = fake.date_between("-40y", "-1y")
    month_year = date.strftime("%B %Y")
    long_date = rng.choice([date.strftime("%d %B %Y"), date.strftime("%B %d, %Y"), date.strftime("%d/%m/%Y"),
                            date.strftime("%d.%m.%Y"), date.isoformat()])
    season = f"{rng.choice(['spring', 'summer', 'autumn', 'winter', 'fall'])} {date.year}"
    age = rng.choice([f"{rng.randint(90, 104)}-year-old", f"aged {rng.randint(90, 104)}",
                      f"{rng.randint(90, 104)} years old", "ninety-three-year-old", "aged ninety-one",
                      f"{rng.randint(90, 99)}yo"])
    kinds = {
        "first": ("name", first), "last": ("name", last), "full": ("name", f"{first} {last}"),
        "other": ("name", f"{other_first} {other_last}"), "initial_last": ("name", f"{first[0]}. {last}"),
        "first_initial": ("name", f"{other_first} {next(c for c in other_last if c.isupper())}."),
        "title_last": ("name", last),
        "lower_full": ("name", f"{first.lower()} {last.lower()}"),
        "city": ("place", city), "street": ("place", street), "address": ("place", address),
        "postcode_city": ("place", f"{postcode} {city}" if locale not in ("en_US", "en_GB") else postcode),
        "hospital": ("institution", rng.choice([f"{last} Memorial Hospital", f"{city} General Hospital",
                                                f"St. {other_first}'s Hospital", f"{other_last} Medical Center",
                                                f"University of {city}", f"{city} Community Clinic",
                                                f"{other_last} Family Practice", f"{city} Children's Hospital"])),
        "month_year": ("date", month_year), "date": ("date", long_date), "season": ("date", season),
        "age": ("age", age),
        "phone": ("phone", fake.phone_number()), "ssn": ("national-id", fake.ssn()),
        "card": ("card-number", fake.credit_card_number()), "iban": ("iban", fake.iban()),
        "plate": ("vehicle", fake.license_plate()),
        "mrn": ("record-number", f"{rng.randint(100, 999)}-{rng.randint(10000, 99999)}"),
        "member": ("record-number", fake.bothify("??#######").upper()),
        "serial": ("device", fake.bothify("SN-#####-??#").upper()),
        "mac": ("device", fake.mac_address()),
        "room": ("place", rng.choice([f"Ward {rng.randint(1, 12)}{rng.choice('ABCD')}", f"room {rng.randint(100, 650)}",
                                      f"Bed {rng.randint(1, 30)}", f"Bay {rng.randint(1, 8)}"])),
    }
    return kinds


TEMPLATES = [
    ("My first patient that night was {full}, who had been in and out of hospital since {month_year}.",
     ("full", "month_year")),
    ("I still think about {other}; she taught me more about dying than any lecture did.", ("other",)),
    ("Dr. {title_last} signed the discharge letter without reading it, as usual.", ("title_last",)),
    ("The note in the chart was initialled by {initial_last} and countersigned the next morning.", ("initial_last",)),
    ("On the whiteboard someone had written {first_initial} next to the bed with the broken call bell.",
     ("first_initial",)),
    ("I grew up in {city}, and I went back there to train.", ("city",)),
    ("Her daughter wrote down the address, {address}, in case anyone needed to send the forms.", ("address",)),
    ("The clinic moved to {street} the year I joined, next to a bakery that opened at five.", ("street",)),
    ("The referral letter came back stamped with a postcode, {postcode_city}, that nobody on the ward recognised.",
     ("postcode_city",)),
    ("I trained at {hospital}, and I do not miss the car park.", ("hospital",)),
    ("He was admitted on {date} and nobody told his wife for two days.", ("date",)),
    ("We changed the rota in {season}, and the night shifts got worse, not better.", ("season",)),
    ("My oldest patient was {age} and sharper than any of us on the ward round.", ("age",)),
    ("His son left his number, {phone}, on a sticky note that fell behind the radiator.", ("phone",)),
    ("The form still asked for his social security number, and someone had typed {ssn} into the free-text box.",
     ("ssn",)),
    ("The billing office read her card number, {card}, aloud over the phone in the corridor.", ("card",)),
    ("The refund went to IBAN {iban}, which the finance team pasted into an unencrypted e-mail.", ("iban",)),
    ("The car with the licence plate {plate} had been parked in the ambulance bay all night.", ("plate",)),
    ("His MRN: {mrn} was printed on every wristband, sticker and form.", ("mrn",)),
    ("The insurance member ID: {member} was wrong on every claim for a year.", ("member",)),
    ("The pump with serial number {serial} alarmed every twenty minutes until we swapped it.", ("serial",)),
    ("The tablet's MAC address {mac} showed up in the network logs the week it went missing.", ("mac",)),
    ("We moved him to {room} because the side rooms were full.", ("room",)),
    ("My colleague {first} covered the rest of my shift without being asked.", ("first",)),
    ("When I finally saw my patient {lower_full} again she did not remember me, which was fair.", ("lower_full",)),
    ("Nurse {last} brought me tea at four in the morning, and I have never forgotten it.", ("last",)),
]
FILLER = [
    "Nobody warned me how quiet the ward gets just before handover.",
    "The coffee machine had been broken for a month, and somehow that felt symbolic.",
    "I wrote the notes twice, once for the record and once for myself.",
    "We were short of staff again, and the bank nurse did not know where anything was kept.",
    "I am writing this because I think the public should know what a night shift is like.",
]


def generated(essays_per_locale: int = 30, seed: int = 16) -> list[Labeled]:
    """Healthcare essays with Faker's names, addresses and numbers in eight locales, labeled as they are built."""
    from faker import Faker

    rng = random.Random(seed)
    out = []
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for n in range(essays_per_locale):
            essay = _Essay()
            for template, keys in rng.sample(TEMPLATES, 9):
                values = _values(fake, rng, locale)
                used = {k: v for k, v in values.items() if "{" + k + "}" in template}
                essay.add(template, **{k: (v[0] if k in keys else "", v[1]) for k, v in used.items()})
                if rng.random() < 0.4:
                    essay.add(rng.choice(FILLER))
            paragraphs = [" ".join(essay.parts[i:i + 3]) for i in range(0, len(essay.parts), 3)]
            out.append(Labeled(f"{locale}-{n:02d}", "\n\n".join(paragraphs) + "\n", essay.labels))
    return out


def written() -> list[Labeled]:
    return [Labeled(md.stem, md.read_text("utf-8"),
                    [(k, t) for k, t in json.loads(md.with_suffix(".json").read_text("utf-8"))])
            for md in sorted(ESSAYS.glob("*.md"))]


def control() -> list[Labeled]:
    return [Labeled(md.stem, md.read_text("utf-8")) for md in sorted(CONTROL.glob("*.md"))]
