"""Brand logos for the PDF letterhead: PNG, JPEG or SVG, size-checked, stored per brand under STORAGE_DIR."""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from core.config import get_settings
from core.i18n import _
from core.models import Brand, User

MAX_BYTES = 1 << 20  # 1 MB: a letterhead, not a photo
MAX_PIXELS = 4000  # on the longer side
KINDS = {"PNG": "png", "JPEG": "jpg"}


class LogoError(ValueError):
    """The upload is not a usable logo; the text says why."""


def logo_kind(data: bytes) -> str:
    """'png', 'jpg' or 'svg' for a logo that fits; LogoError otherwise."""
    if len(data) > MAX_BYTES:
        raise LogoError(
            _("The logo is {size} KB; at most {limit} KB.").format(
                size=len(data) >> 10, limit=MAX_BYTES >> 10
            )
        )
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or data.lstrip().startswith(b"<svg"):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            raise LogoError(_("The logo is not a readable SVG file.")) from exc
        if not root.tag.endswith("svg"):
            raise LogoError(_("The logo is not a readable SVG file."))
        return "svg"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise LogoError(_("The logo must be a PNG, JPEG or SVG image.")) from exc
    if kind not in KINDS:
        raise LogoError(_("The logo must be a PNG, JPEG or SVG image."))
    if max(size) > MAX_PIXELS:
        raise LogoError(
            _("The logo is {w}×{h} pixels; at most {limit} on a side.").format(
                w=size[0], h=size[1], limit=MAX_PIXELS
            )
        )
    return KINDS[kind]


def store_logo(session: Session, *, actor: User, brand_id: int | str, data: bytes) -> Path:
    """Check the logo and keep it as the brand's (replacing an older one); LogoError for a bad file."""
    from core.accounts import get_brand, update_brand

    kind = logo_kind(data)
    brand: Brand = get_brand(session, actor=actor, brand_id=brand_id)
    folder = get_settings().storage_dir / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brand-{brand.id}.{kind}"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    for old in folder.glob(f"brand-{brand.id}.*"):
        if old != path:
            old.unlink(missing_ok=True)
    update_brand(session, actor=actor, brand_id=brand.id, logo_path=str(path))
    return path
