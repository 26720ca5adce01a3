"""A synthetic corpus shaped like real submissions, for benchmarks.

Each essay carries identifying headers (author, email, affiliation, a date
with time and zone), a tracking link, a wrapped link, an embed and a
comment, so the scrubbers have real work to do on every file. Generation is
deterministic (seeded) so two runs measure the same input.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

WORDS = (
    "patient clinic ward shift nurse doctor student night rota consent review pager handover discharge "
    "admission staffing burnout training residency forum community trust record colleague listen time "
    "care pressure system budget policy safety error report family question answer silence dignity "
    "practice evidence outcome waiting referral specialist primary emergency theatre recovery illness"
).split()

CATEGORIES = ["Burnout", "Online Communities", "Medical Education", "Patients", "Reviews and Reputation"]
TAGS = ["burnout", "nursing", "residency", "online groups", "consent", "metrics", "staffing", "privacy"]


def _paragraph(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    sentences, i = [], 0
    while i < len(chosen):
        n = rng.randint(8, 18)
        part = chosen[i : i + n]
        sentences.append(" ".join(part).capitalize() + ".")
        i += n
    return " ".join(sentences)


def essay(rng: random.Random, index: int) -> str:
    """One essay of about 700 words with everything a scrubber must remove."""
    day = 1 + index % 28
    month = 1 + (index // 28) % 12
    body = [_paragraph(rng, 110) for _ in range(6)]
    body.insert(
        2,
        f"Read the [guidance](https://www.who.int/publications/?utm_source=newsletter&utm_medium=email&id={index}) "
        f"and the [thread](https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.org%2Fpost%2F{index}"
        "&data=05%7C01%7Cx%40y.example&reserved=0).",
    )
    body.insert(4, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315"></iframe>')
    body.insert(5, f"<!-- editor note {index}: check with the writer -->")
    header = [
        f"Title: Synthetic essay number {index}",
        f"Date: 2025-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} -0500",
        f"Category: {CATEGORIES[index % len(CATEGORIES)]}",
        f"Tags: {TAGS[index % len(TAGS)]}, {TAGS[(index * 3 + 1) % len(TAGS)]}",
        f"Slug: synthetic-essay-{index}",
        f"Summary: {_paragraph(rng, 25)}",
        f"Author: Writer Number{index} Surname",
        f"Email: writer{index}@hospital{index % 50}.example",
        f"Affiliation: Hospital {index % 50}, Department {index % 7}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def generate(dest: Path, essays: int, images: int = 0, seed: int = 1) -> Path:
    """Write a content folder with `essays` essays and `images` photos into `dest`."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "essays").mkdir(parents=True)
    (dest / "pages").mkdir()
    (dest / "images").mkdir()
    (dest / "pages" / "about.md").write_text("Title: About\nSlug: about\n\nA benchmark site.\n", "utf-8")
    names = []
    if images:
        from tests.imagegen import corridor, jpeg_with_metadata

        base = corridor(1024, 768)
        for i in range(images):
            name = f"photo-{i}.jpg"
            (dest / "images" / name).write_bytes(jpeg_with_metadata(base.rotate(i % 4 * 90, expand=True)))
            names.append(name)
    for i in range(essays):
        text = essay(rng, i)
        if names:
            text += f"\n![A photograph]({{static}}/images/{names[i % len(names)]})\n"
        (dest / "essays" / f"essay-{i:05d}.md").write_text(text, "utf-8")
    return dest


def touch_one(dest: Path, index: int = 0) -> Path:
    """Change one essay's text, as an editor's fix would."""
    path = dest / "essays" / f"essay-{index:05d}.md"
    path.write_text(path.read_text("utf-8") + "\nOne more sentence from the editor.\n", "utf-8")
    return path
