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
        stored = base.transpose(Image.Transpose.ROTATE_90) if turn == 6 else base
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
    flat = compare(make_photos(work / "flat" / "photos", count, 1), work / "flat", log, runs)
    turned = compare(make_photos(work / "turned" / "photos", max(2, count // 4), 6), work / "turned", log, runs)
    table = ("### Photos stored upright (orientation 1)\n\n" + flat["table"]
             + "\n\n### Photos tagged as rotated (orientation 6, as a phone held upright stores them)\n\n"
             + turned["table"])
    return {"flat": flat, "turned": turned, "table": table}


def compare(photos: list[Path], work: Path, log=print, runs: int = 3) -> dict:
    count = len(photos)
    invoke = str(Path(sys.executable).parent / "invoke")
    rows = []
    out = work / "ours"
    ours = _timed([invoke, "scrub", *map(str, photos), "--out", str(out)], runs)
    cleaned = sorted(out.iterdir())
    rows.append(("invoke scrub", ours, out))
    log(f"  invoke scrub: {ours:.2f}s for {count} photos")
    exiftool = shutil.which("exiftool")
    if exiftool:
        ex_out = work / "exiftool"

        def run_exiftool() -> list[str]:
            shutil.rmtree(ex_out, ignore_errors=True)
            ex_out.mkdir()
            return [exiftool, "-q", "-all=", "-o", str(ex_out) + "/", *map(str, photos)]

        times = []
        for _ in range(runs):
            cmd = run_exiftool()
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        rows.append(("exiftool -all=", statistics.median(times), ex_out))
        log(f"  exiftool -all=: {rows[-1][1]:.2f}s")
    mat2 = shutil.which("mat2")
    if mat2:
        m_dir = work / "mat2"
        shutil.rmtree(m_dir, ignore_errors=True)
        shutil.copytree(work / "photos", m_dir)
        start = time.perf_counter()
        subprocess.run([mat2, "--inplace", *map(str, sorted(m_dir.iterdir()))], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows.append(("mat2 --inplace", time.perf_counter() - start, m_dir))
    originals = [p.read_bytes() for p in photos]
    lines = [f"{count} photos of 12 megapixels (4000×3000); median of {runs} runs.", "",
             "| tool | seconds | photos/s | speed vs exiftool | pixels identical | shown upright |",
             "|---|---:|---:|---:|---|---|"]
    ex_time = next((t for name, t, _ in rows if name.startswith("exiftool")), None)
    result = {"count": count}
    for name, seconds, folder in rows:
        files = sorted(folder.iterdir()) if name != "invoke scrub" else cleaned
        if name == "invoke scrub":
            by_source = {}
            for src in photos:
                from anonymize.images import clean_bytes, hashed_name

                by_source[src.name] = (folder / hashed_name(clean_bytes(src.read_bytes()))).read_bytes()
            outputs = [by_source[p.name] for p in photos]
        else:
            outputs = [(folder / p.name).read_bytes() for p in photos] if files else []
        identical = bool(outputs) and all(_identical(a, b) for a, b in zip(originals, outputs, strict=True))
        upright = bool(outputs) and all(_upright(o) for o in outputs)
        ratio = f"{ex_time / seconds:.2f}× as fast" if ex_time else "n/a"
        lines.append(f"| {name} | {seconds:.2f} | {count / seconds:.1f} | {ratio} | "
                     f"{'yes' if identical else 'no'} | {'yes' if upright else 'no'} |")
        result[name] = {"seconds": seconds, "identical": identical, "upright": upright}
    if not exiftool:
        lines.append("")
        lines.append("exiftool is not installed here (`.ci/run` installs it): no comparison was made.")
    result["table"] = "\n".join(lines)
    return result
