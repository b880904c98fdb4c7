"""Brand logos: PNG, JPEG and SVG accepted and stored per brand; anything else, or too big, refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.reports.logos import MAX_BYTES, LogoError, logo_kind


def _image(fmt: str, size=(120, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, fmt)
    return buf.getvalue()


def test_png_jpeg_and_svg_are_accepted():
    assert logo_kind(_image("PNG")) == "png"
    assert logo_kind(_image("JPEG")) == "jpg"
    assert logo_kind(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>') == "svg"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"GIF89a" + b"\0" * 20, "PNG, JPEG or SVG"),
        (_image("GIF"), "PNG, JPEG or SVG"),
        (b"<svg><unclosed>", "SVG"),
        (b"\x89PNG" + b"\0" * (MAX_BYTES + 1), "at most 1024 KB"),
        (_image("PNG", size=(5000, 10)), "5000×10 pixels"),
    ],
)
def test_other_files_and_oversized_logos_are_refused(data, says):
    with pytest.raises(LogoError, match=says):
        logo_kind(data)


def test_a_logo_is_stored_as_the_brands_own(sqlite_db):
    from core import accounts, users
    from core.db import session_scope
    from core.reports.logos import store_logo

    with session_scope() as session:
        ann = users.create_user(session, email="ann@example.com", password="пароль-надёжный")
        brand = accounts.create_brand(session, actor=ann, name="Acme")
        first = store_logo(session, actor=ann, brand_id=brand.id, data=_image("PNG"))
        second = store_logo(
            session, actor=ann, brand_id=brand.id, data=b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        )
        assert brand.logo_path == str(second) and second.suffix == ".svg"
        assert not first.exists()
