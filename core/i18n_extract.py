"""Message extraction for the catalogues: `python -m core.i18n_extract` (or `make messages`).

Finds every _(), N_() and ngettext() id in the code (babel.cfg says where) and the refusals in the platform
profiles, merges them into core/locale/<lang>/LC_MESSAGES/messages.po keeping existing translations (English
gets its own ids), and lists the Russian ones still to translate. Tests use `extract()` to check that nothing
in the code is missing from either catalogue.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from core.i18n import LANGUAGES, po_path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract_profiles(fileobj, keywords, comment_tags, options):
    """Babel extractor: (line, funcname, message, comments) for each refusal and no-date hint in the TOML."""
    for spec in tomllib.load(fileobj).values():
        if not isinstance(spec, dict):
            continue
        texts = [r["message"] for r in spec.get("rejections", ())]
        texts += [spec["no_date_hint"]] if spec.get("no_date_hint") else []
        for text in texts:
            yield 0, None, text, []


def extract(root: Path = ROOT) -> dict[str | tuple[str, str], set[str]]:
    """Every message id in the code: a string, or (singular, plural) for ngettext; with its flags."""
    with (root / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS, comment_tags=()
    ):
        found.setdefault(message, set())
        if isinstance(message, str) and "{" in message or isinstance(message, tuple):
            found[message].add("python-brace-format")
    return found


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def update(root: Path = ROOT) -> dict[str, list]:
    """Merge the code's ids into every catalogue; returns the untranslated ids per language."""
    ids = extract(root)
    missing: dict[str, list] = {}
    for language in LANGUAGES:
        path = po_path(language)
        old = read_po(path.open("rb"), locale=language) if path.exists() else Catalog(locale=language)
        new = Catalog(
            locale=language,
            project="Social Analytics",
            version="0.1",
            fuzzy=False,
            creation_date=old.creation_date,
        )
        for message_id, flags in sorted(ids.items(), key=lambda kv: str(kv[0])):
            previous = old.get(message_id)
            if language == "en":
                string = message_id
            elif previous is not None and _translated(previous):
                string = previous.string
            else:
                string = ("", "", "") if isinstance(message_id, tuple) else ""
            new.add(message_id, string, flags=flags)
        missing[language] = [m.id for m in new if m.id and not _translated(m)]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, new, width=0, no_location=True, sort_output=True)
    return missing


if __name__ == "__main__":
    gaps = update()
    for language, ids in gaps.items():
        for message_id in ids:
            print(f"{language}: untranslated: {message_id!r}")
    sys.exit(1 if any(gaps.values()) else 0)
