"""HEIC/HEIF from phones: decoded (rotation applied) and published as JPEG without metadata."""

from __future__ import annotations

import io

from anonymize.scrub.images.base import Cleaned, ImageError, Parser


class Heif(Parser):
    name = "HEIF"
    ext = ".jpg"

    def clean(self, data: bytes) -> Cleaned:
        try:
            import pillow_heif
            from PIL import Image, ImageOps
        except ImportError as exc:  # pragma: no cover - pillow-heif is in the lock
            raise ImageError(f"HEIF support is missing ({exc})") from None
        pillow_heif.register_heif_opener()
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                icc = im.info.get("icc_profile")
                upright = ImageOps.exif_transpose(im).convert("RGB")
        except Exception as exc:  # noqa: BLE001 - a broken HEIF is refused, whatever broke
            raise ImageError(f"cannot decode HEIF ({exc})") from None
        buf = io.BytesIO()
        kwargs = {"quality": 92, "optimize": True}
        if icc:
            kwargs["icc_profile"] = icc
        upright.save(buf, "JPEG", **kwargs)
        from anonymize.scrub.images.jpeg import Jpeg

        cleaned = Jpeg().clean(buf.getvalue())
        return Cleaned(cleaned.data, ".jpg", ["all HEIF metadata (EXIF, XMP, thumbnails)", "converted to JPEG"],
                       "converted")
