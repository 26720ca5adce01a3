"""Turn a JPEG upright in the DCT domain, as `jpegtran -perfect` does: no re-encoding.

A phone stores the sensor's pixels and an EXIF tag saying how to turn them.
Dropping EXIF drops the tag, so the picture must be turned for real. Mirroring
an 8×8 block is a sign change of its odd-frequency coefficients, and
transposing it transposes the coefficients (and the quantisation tables and
sampling factors), so every orientation is a permutation of the quantised
coefficients: nothing is decoded, nothing re-quantised. jpeglib (libjpeg
behind numpy) reads and writes the coefficients.

It is exact only when each mirror runs along a side that is a whole number of
MCUs (otherwise the padding blocks would move onto the picture); then, and for
anything jpeglib cannot carry (CMYK, 12-bit, arithmetic coding), `upright`
returns None and the caller re-encodes at high quality, and says so.

jpeglib carries several builds of libjpeg and loads IJG's 6b unless told otherwise; its libjpeg-turbo build
reads and writes the same coefficients (the output is byte for byte the same) in about two thirds of the time,
so it is chosen once, before the first turn.

jpeglib's C part keeps the markers it reads and writes in global variables (`gmarker_data`, `gmarker_lengths`,
`gpos`, `f_unquantized`), and ctypes lets threads into it at once: `invoke scrub` turns photos in threads, and two
turns at the same moment crashed the process (SIGABRT, seen once in a benchmark run) or could have carried one photo's
markers into another's output. So every call into jpeglib holds one lock; the coefficient work in numpy between the
read and the write does not.
"""

from __future__ import annotations

import os
import tempfile
import threading

# EXIF orientation -> operations, in order: t = transpose, h = mirror left-right, v = mirror top-bottom.
OPERATIONS = {2: "h", 3: "hv", 4: "v", 5: "t", 6: "th", 7: "thv", 8: "tv"}
FAST_BUILD = "turbo210"
_chosen = threading.Lock()
_build_set = False
_LIBJPEG = threading.Lock()  # jpeglib's C library is not thread-safe (module docstring)


def _fast_build(jpeglib) -> None:
    """Load jpeglib's libjpeg-turbo build once per process (scrub turns photos in threads: never mid-turn)."""
    global _build_set
    with _chosen:
        if not _build_set:
            if FAST_BUILD in jpeglib.version.versions():
                jpeglib.version.set(FAST_BUILD)
            _build_set = True


def upright(jpeg: bytes, turn: int) -> bytes | None:
    """The JPEG turned by EXIF orientation `turn`, losslessly; None when that cannot be exact."""
    import numpy as np

    try:
        import jpeglib
    except ImportError:  # pragma: no cover - jpeglib is in the lock; without it, the caller re-encodes
        return None
    ops = OPERATIONS.get(turn)
    if not ops:
        return None
    _fast_build(jpeglib)
    with tempfile.TemporaryDirectory(prefix="unsigned-rotate-") as tmp:
        src, dst = os.path.join(tmp, "in.jpg"), os.path.join(tmp, "out.jpg")
        with open(src, "wb") as fh:
            fh.write(jpeg)
        try:
            with _LIBJPEG:
                image = jpeglib.read_dct(src)
                image.load()
        except Exception:  # noqa: BLE001 - anything libjpeg cannot read as coefficients: re-encode instead
            return None
        if image.num_components not in (1, 3):
            return None
        names = ["Y"] if image.num_components == 1 else ["Y", "Cb", "Cr"]
        planes = {n: getattr(image, n) for n in names}
        qt, samp = image.qt, np.array(image.samp_factor)  # samp rows are [vertical, horizontal] per component
        height, width = image.height, image.width
        # int16 like the coefficients (|c| < 2048 in 8-bit JPEG: no overflow): an int64 sign made every mirrored
        # plane four times the size and cost a copy back.
        sign = np.array([1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int16)
        # The operations are composed as views (transposes, reversed axes) and one sign per coefficient; the plane
        # is then copied once, into the C order jpeglib writes from.
        flip = np.ones((8, 8), dtype=np.int16)
        for op in ops:
            if op == "t":
                planes = {n: p.transpose(1, 0, 3, 2) for n, p in planes.items()}
                flip = flip.T
                qt = qt.transpose(0, 2, 1)
                samp = samp[:, ::-1]
                height, width = width, height
            elif op == "h":
                if width % (8 * samp[:, 1].max()):
                    return None  # the right edge is a partial MCU
                planes = {n: p[:, ::-1] for n, p in planes.items()}
                flip = flip * sign[None, :]
            else:
                if height % (8 * samp[:, 0].max()):
                    return None  # the bottom edge is a partial MCU
                planes = {n: p[::-1] for n, p in planes.items()}
                flip = flip * sign[:, None]
        arrays = {}
        for n, p in planes.items():
            arrays[n] = np.empty(p.shape, dtype=np.int16)
            np.multiply(p, flip, out=arrays[n])
        try:
            with _LIBJPEG:
                out = jpeglib.from_dct(Y=arrays["Y"], Cb=arrays.get("Cb"), Cr=arrays.get("Cr"),
                                       qt=np.ascontiguousarray(qt), quant_tbl_no=image.quant_tbl_no)
                out.height, out.width = height, width
                out.samp_factor = np.ascontiguousarray(samp)
                out.write_dct(dst)
        except Exception:  # noqa: BLE001 - fall back to a re-encode rather than fail on a library limit
            return None
        with open(dst, "rb") as fh:
            return fh.read()
