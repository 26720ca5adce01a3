"""Measure the pipeline against bare Pelican, rebuilds, image scrubbing and scale.

Everything is measured in one run on one machine and reported as medians and
ratios, because absolute seconds mean little across machines while ratios
measured side by side do. Peak memory comes from the kernel's accounting of
each child process tree (wait4), not from sampling.
"""

from __future__ import annotations

import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
INVOKE = str(Path(PY).parent / "invoke")


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds of the command and every process it waited for


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def spread(self) -> str:
        times = [s.seconds for s in self.samples]
        return f"{min(times):.2f}–{max(times):.2f}"


def measure(cmd: list[str], cwd: Path = ROOT) -> Sample:
    """Run `cmd`; return wall time and the peak RSS of its largest process."""
    with tempfile.TemporaryFile() as errfile:  # a file, not a pipe: a full pipe would stall the build
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errfile)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errfile.seek(0)
            err = errfile.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def full_build(content: Path, output: Path, cache: Path) -> list[str]:
    return [INVOKE, "build", "--content", str(content), "--output", str(output), "--cache-path", str(cache)]


def bare_build(content: Path, output: Path) -> list[str]:
    return [PY, "-m", "pelican", str(content), "-o", str(output), "-s", str(ROOT / "bench" / "bare_pelicanconf.py"),
            "--delete-output-directory", "-q"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def bench_site(work: Path, essays: int, images: int, runs: int, log) -> dict:
    """Cold full pipeline vs bare Pelican, and a one-essay rebuild, at `essays` essays.

    Each run measures all three back to back, so the ratios compare builds made
    under the same load; a shared VM's speed drifts over minutes. A cold build
    starts with empty caches and an earlier build in its output folder, as after
    a change of rules or code (the usual reason a build is cold).
    """
    content = corpus.generate(work / f"content-{essays}", essays, images)
    full, bare, rebuild = Series("full"), Series("bare"), Series("rebuild")
    warm = work / f"cache-warm-{essays}"
    measure(full_build(content, work / "out-warm", warm))
    shutil.copytree(work / "out-warm", work / "out-full", symlinks=True)
    for i in range(runs):
        cache = work / f"cache-cold-{essays}-{i}"
        full.samples.append(measure(full_build(content, work / "out-full", cache)))
        shutil.rmtree(cache, ignore_errors=True)
        bare.samples.append(measure(bare_build(content, work / "out-bare")))
        corpus.touch_one(content, i)
        rebuild.samples.append(measure(full_build(content, work / "out-warm", warm)))
        log(f"  {essays} essays run {i + 1}/{runs}: full {full.samples[-1].seconds:.2f}s, "
            f"bare {bare.samples[-1].seconds:.2f}s, rebuild after one essay changed "
            f"{rebuild.samples[-1].seconds:.2f}s")
    return {"essays": essays, "full": full, "bare": bare, "rebuild": rebuild, "content": content}


def cold(content: Path, output: Path, work: Path) -> Sample:
    """One cold build (empty caches) into `output`."""
    cache = Path(tempfile.mkdtemp(prefix="cache-cold-", dir=work))
    try:
        return measure(full_build(content, output, cache))
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def bench_scale(work: Path, small: dict, large: int, images: int, log) -> tuple[Series, float]:
    """The cold build at `large` essays, and its ratio to cold builds of the small corpus made just before
    and just after it (under the same load): how the cost grows with the corpus."""
    content = corpus.generate(work / f"content-{large}", large, images)
    cold(content, work / "out-large", work)  # an earlier build in the folder, as for the small corpus
    before = cold(small["content"], work / "out-full", work)
    scale = Series("large")
    scale.samples.append(cold(content, work / "out-large", work))
    after = cold(small["content"], work / "out-full", work)
    ratio = scale.samples[-1].seconds / statistics.mean([before.seconds, after.seconds])
    log(f"  {large} essays: {scale.samples[-1].seconds:.2f}s, peak {scale.samples[-1].peak_mb:.0f} MB; "
        f"{small['essays']} essays just before and after: {before.seconds:.2f}s, {after.seconds:.2f}s")
    return scale, ratio


def paired_ratio(a: Series, b: Series) -> float:
    """Median of run-by-run ratios a/b: builds measured back to back share the machine's load of the moment."""
    return statistics.median(x.seconds / y.seconds for x, y in zip(a.samples, b.samples, strict=True))


def bench_images(work: Path, count: int, log) -> dict | None:
    """`invoke scrub` vs `exiftool -all=` (and mat2) on the same 12-megapixel photos."""
    try:
        from bench.images import bench_images as run_images
    except ImportError:
        log("  image scrubber benchmark not available (bench/images.py missing)")
        return None
    return run_images(count, work / "images", log=log, runs=5)


def run(essays: int = 1000, images: int = 0, runs: int = 3, large: int = 10000, photos: int = 24,
        out: Path = ROOT / "bench" / "results.md", log=print) -> str:
    work = Path(tempfile.mkdtemp(prefix="unsigned-bench-"))
    try:
        log(f"bench: working in {work}")
        # As `make site` does: our modules compiled ahead, so no measured process compiles them itself.
        compileall.compile_dir(str(ROOT / "plugins"), quiet=1)
        small = bench_site(work, essays, images, runs, log)
        scale, r_scale = bench_scale(work, small, large, images, log) if large else (None, 0.0)
        img = bench_images(work, photos, log) if photos else None
        text = render(small, scale, large, img, r_scale) + page_weights(work, log)
        out.write_text(text, "utf-8")
        log(text)
        return text
    finally:
        shutil.rmtree(work, ignore_errors=True)


def page_weights(work: Path, log=print) -> str:
    """Bytes a browser fetches to open the prepare page (one self-contained document) and an essay page."""
    import gzip

    out = work / "sample-site"
    subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "build", "--output", str(out)], cwd=ROOT,
                   capture_output=True, check=True)
    prepare = (out / "prepare" / "index.html").read_bytes()
    essay = next(iter(sorted((out / "essays").glob("*/index.html")))).read_bytes()
    css = (out / "theme" / "css" / "style.css").read_bytes()
    log(f"bench: prepare page {len(prepare)} bytes")
    return "\n".join([
        "", "## Page weight", "",
        "Bytes a browser transfers to open a page of the sample site, uncompressed (gzip -9 in brackets, as a server "
        "that compresses would send them). The prepare page is one document that holds every script, its rules "
        "and its style, so it opens with one request (and the site's icon) and works offline and saved as one "
        "file; about 1 MB of it is the desk's name, word-frequency and place data (deflated, base64), which the "
        "page needs to find what `invoke review` finds.", "",
        "| page | requests | bytes | budget |", "|---|---:|---:|---|",
        f"| Prepare your essay (`prepare/`) | 1 | {len(prepare):,} ({len(gzip.compress(prepare, 9)):,}) | ≤ 1,600 KB "
        "(tests/browser/test_prepare.py) |",
        f"| an essay page (HTML + CSS) | 2 | {len(essay) + len(css):,} "
        f"({len(gzip.compress(essay, 9)) + len(gzip.compress(css, 9)):,}) | ≤ 30 KB (tests/plugin/test_theme.py) |",
        ""])


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(small: dict, scale: Series | None, large: int, img: dict | None, r_scale: float = 0.0) -> str:
    full, bare, rebuild = small["full"], small["bare"], small["rebuild"]
    n = small["essays"]
    lines = [
        "# Benchmark results",
        "",
        f"Last run: {datetime.now(UTC):%Y-%m-%d} (UTC) with `invoke bench`.",
        f"Machine: {machine()}.",
        "",
        f"Runs per measurement: {len(full.samples)}; times are medians of wall-clock seconds. Each run builds cold, "
        "bare and after a one-essay change back to back; a ratio is the median of the runs' own ratios.",
        "",
        "| measurement | median s | runs (min–max s) | CPU s | peak MB | ratio | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    r_full = paired_ratio(full, bare)
    r_rebuild = paired_ratio(rebuild, full)
    def row(label: str, series: Series, ratio: str, target: str, verdict: str) -> str:
        return (f"| {label} | {series.median:.2f} | {series.spread} | {series.cpu:.1f} | {series.peak_mb:.0f} | "
                f"{ratio} | {target} | {verdict} |")

    lines.append(row(f"bare Pelican, {n} essays (default theme, no plugins)", bare, "1.00", "", ""))
    lines.append(row(f"full pipeline (`invoke build`), {n} essays, cold", full, f"{r_full:.2f}× bare", "≤ 1.15×",
                     _verdict(r_full <= 1.15)))
    lines.append(row("rebuild after one essay changed", rebuild, f"{r_rebuild:.2f}× cold", "≤ 0.5×",
                     _verdict(r_rebuild <= 0.5)))
    if scale:
        lines.append(row(f"full pipeline, {large} essays, cold", scale, f"{r_scale:.2f}× {n} essays", "≤ 11×",
                         _verdict(r_scale <= 11)))
        lines.append(f"| peak memory at {large} essays | | | | {scale.peak_mb:.0f} | | < 2048 MB | "
                     f"{_verdict(scale.peak_mb < 2048)} |")
    flat = (img or {}).get("flat", {})
    ours, ex = flat.get("invoke scrub"), flat.get("exiftool -all=")
    if ours and ex:
        total = ex["seconds"] / ours["seconds"]
        lines.append(f"| image scrub, {flat['count']} upright 12-MP photos (`invoke scrub` vs `exiftool -all=`) | "
                     f"{ours['seconds']:.2f} | | | | {total:.2f}× exiftool's speed | ≥ 1× | {_verdict(total >= 1)} |")
        if ours.get("per_photo") and ex.get("per_photo"):
            per = ours["per_photo"] / ex["per_photo"]
            lines.append(f"| … per photo, without either tool's start-up | | | | | {per:.2f}× exiftool's speed | "
                         f"≥ 1× | {_verdict(per >= 1)} |")
    if img:
        lines += ["", "## Image scrubbing", "", img.get("table", "")]
    lines += ["", "CPU s is the user and system time of the command and of every process it waited for (Pelican's "
              "workers, Pagefind, the audit's workers). Bare Pelican uses one core; the pipeline spreads its "
              "extra work over all of them, so its wall-clock ratio depends on how much of the other cores is "
              "free: on a shared VM it moves from run to run with the neighbours' load (see the min–max "
              "column), while its CPU seconds do not.",
              "", "Cold builds start with empty caches and an earlier build in the output folder, as after a "
              "change of rules or code." + (f" The {large} essays' ratio divides its time by the mean of two cold "
                                            f"builds of the {n} essays made just before and just after it."
                                            if scale else ""),
              "", "Peak MB is the largest resident set of any process in the measured command (kernel accounting "
              "via wait4). The synthetic corpus (bench/corpus.py) gives every essay identifying headers, a "
              "tracking link, a mail-gateway link, a video embed and an HTML comment.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    run()
