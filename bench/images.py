"""`invoke scrub` against `exiftool -all=` (and mat2 when installed) on the same 12-megapixel photos.

Each tool runs once over the whole set in one process (exiftool's fastest
mode). Besides time, the table says whether each tool kept the pixels
identical and whether the photos tagged as rotated came out upright.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
NOISE_S = 0.02  # differences of wall-clock medians below this are not read as work


def make_photos(folder: Path, count: int, turn: int = 1) -> list[Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    from imagegen import jpeg_with_metadata, quadrants

    folder.mkdir(parents=True, exist_ok=True)
    # 12 megapixels with sensor-like noise, so files are as large as a phone's (several MB)
    base = quadrants(4000, 3000)
    noise = Image.effect_noise((4000, 3000), 48).convert("RGB")
    base = Image.blend(base, noise, 0.35)
    paths = []
    for i in range(count):
        # A patch of its own colour in each: an editor's photos differ, and identical ones would all be
        # cleaned to one content-hashed name (the same file written again and again).
        picture = base.copy()
        picture.paste((i * 37 % 256, i * 91 % 256, i * 53 % 256), (1968, 1468, 2032, 1532))
        stored = picture.transpose(Image.Transpose.ROTATE_90) if turn == 6 else picture
        path = folder / f"IMG_{i:04d}.jpg"
        path.write_bytes(jpeg_with_metadata(stored, orientation=turn, quality=90))
        paths.append(path)
    return paths


def _timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _upright(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as im:
        from PIL import ImageOps

        shown = ImageOps.exif_transpose(im)
        r, g, b = shown.convert("RGB").getpixel((100, 100))
        return shown.size == (4000, 3000) and r > 200 and g < 60


def _identical(a: bytes, b: bytes) -> bool:
    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        return x.tobytes() == y.tobytes()


def bench_images(count: int, work: Path, log=print, runs: int = 3) -> dict:
    """Two sets: upright photos (the work both tools do) and photos tagged as rotated (which only we keep upright)."""
    flat = compare(make_photos(work / "flat" / "photos", 2 * count, 1), work / "flat", log, runs)
    turned = compare(make_photos(work / "turned" / "photos", 2 * max(2, count // 4), 6), work / "turned", log, runs)
    table = ("### Photos stored upright (orientation 1)\n\n" + flat["table"]
             + "\n\n### Photos tagged as rotated (orientation 6, as a phone held upright stores them)\n\n"
             + turned["table"])
    return {"flat": flat, "turned": turned, "table": table}


def _time_once(make_cmd, photos: list[Path], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = make_cmd(photos, out)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(both: list[Path], work: Path, log=print, runs: int = 3) -> dict:
    """Each tool over the first half of the photos and over all: total time, and per-photo work without start-up."""
    from anonymize.scrub.images import clean_bytes, hashed_name

    count = len(both) // 2
    photos = both[:count]
    invoke = str(Path(sys.executable).parent / "invoke")
    tools = [("invoke scrub", lambda ps, out: [invoke, "scrub", "--out", str(out), "--", *map(str, ps)])]
    exiftool = shutil.which("exiftool")
    if exiftool:
        tools.append(("exiftool -all=", lambda ps, out: [exiftool, "-q", "-all=", "-o", str(out) + "/", *map(str, ps)]))
    mat2 = shutil.which("mat2")
    if mat2:
        def mat2_cmd(ps, out):
            for src in ps:
                shutil.copyfile(src, out / src.name)
            return [mat2, "--inplace", *(str(out / src.name) for src in ps)]
        tools.append(("mat2 --inplace", mat2_cmd))
    originals = [p.read_bytes() for p in photos]
    # The tools take turns within each run, so a drift in the machine's load reaches all of them alike.
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, _ in tools}
    for _ in range(runs):
        for name, make_cmd in tools:
            out = work / name.split()[0]
            times[name][0].append(_time_once(make_cmd, photos, out))
            times[name][1].append(_time_once(make_cmd, both, out))
    rows = []
    for name, _make_cmd in tools:
        out = work / name.split()[0]  # holds the last run's output for all the photos
        single, double = (statistics.median(series) for series in times[name])
        # Twice the photos in no measurably more time: the per-photo work is below this VM's noise (no figure).
        marginal = count / (double - single) if double - single > NOISE_S else None
        if name == "invoke scrub":
            cleaned = [clean_bytes(o) for o in originals]
            outputs = [(out / hashed_name(c)).read_bytes() for c in cleaned]
            methods = {c.method for c in cleaned}
        else:
            outputs = [(out / p.name).read_bytes() for p in photos]
            methods = {"metadata removed"}
        identical = all(_identical(a, b) for a, b in zip(originals, outputs, strict=True))
        upright = all(_upright(o) for o in outputs)
        pixels = "identical" if identical else ("turned in the DCT domain (no re-encode)" if methods == {"lossless"}
                                                 else ", ".join(sorted(methods)))
        rows.append((name, single, double, marginal, pixels, upright))
        log(f"  {name}: {single:.2f}s for {count} photos, {double:.2f}s for {2 * count}")
    ex = next((r for r in rows if r[0].startswith("exiftool")), None)
    lines = [f"{count} photos of 12 megapixels (4000×3000), then {2 * count} (no two alike); medians of {runs} "
             f"runs. Per-photo throughput is {count} / (time for {2 * count} − "
             f"time for {count}): the work on each photo, without the tool's start-up.", "",
             f"| tool | s for {count} | s for {2 * count} | photos/s (per-photo work) | vs exiftool, total | "
             "vs exiftool, per photo | pixels | shown upright |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    result = {"count": count}
    for name, single, double, marginal, pixels, upright in rows:
        total = f"{ex[1] / single:.2f}×" if ex else "n/a"
        per = f"{marginal / ex[3]:.2f}×" if ex and marginal and ex[3] else "n/a"
        rate = f"{marginal:.1f}" if marginal else f"n/a (difference under {NOISE_S} s)"
        lines.append(f"| {name} | {single:.2f} | {double:.2f} | {rate} | {total} | {per} | {pixels} | "
                     f"{'yes' if upright else 'no'} |")
        result[name] = {"seconds": single, "double": double, "per_photo": marginal, "pixels": pixels,
                        "upright": upright}
    if not exiftool:
        lines += ["", "exiftool is not installed here (`.ci/run` installs it): no comparison was made."]
    result["table"] = "\n".join(lines)
    return result
