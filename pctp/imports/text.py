"""Text as Vietnamese offices have saved it: UTF-8 with or without a byte-order mark,
UTF-16 (Excel's "Unicode text"), Windows-1258 (decomposed tone marks) and TCVN3 (the ABC
fonts .VnTime and friends, one byte per letter). Every result is NFC, so "Hòa" typed
three ways compares equal."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

# TCVN3 (TCVN 5712:1993, "ABC"): the byte, read as Latin-1, and the letter it stands for.
# Capitals with tone marks were drawn by separate fonts (.VnTimeH) on the same bytes, so a
# file in TCVN3 holds them as small letters: the meaning survives, the case does not.
_TCVN3 = dict(zip(  # i18n: data (a code table)
    "µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
    "ïóñòô" "\xadõøö÷ù" "úýûüþ" "¡¢§£¤¥¦",
    "àáảãạ" "ăằắẳẵặ" "âầấẩẫậ" "đ" "èéẻẽẹ" "êềếểễệ" "ìíỉĩị" "òóỏõọ" "ôồốổỗộ" "ơờớởỡợ"
    "ùúủũụ" "ưừứửữự" "ỳýỷỹỵ" "ĂÂĐÊÔƠƯ",
    strict=True))
_TCVN3_TABLE = str.maketrans(_TCVN3)

ENCODINGS = ("auto", "utf-8", "utf-16", "cp1258", "tcvn3")

# The letters of Vietnamese beyond ASCII, to score a decoding.
_VIETNAMESE = set(  # i18n: data (the alphabet)
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
_VIETNAMESE |= {c.upper() for c in _VIETNAMESE}


def tcvn3_to_unicode(text: str) -> str:
    """Text whose characters are TCVN3 bytes read as Latin-1 (how an .xls made with the
    .VnTime fonts stores them) as Unicode."""
    return text.translate(_TCVN3_TABLE)


def vietnamese_score(text: str) -> float:
    """The share of non-ASCII characters that are Vietnamese letters (1.0 for clean text,
    near 0 for a wrong decoding); 1.0 when the text is all ASCII."""
    other = [c for c in text if ord(c) > 127]
    if not other:
        return 1.0
    return sum(c in _VIETNAMESE for c in other) / len(other)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "tcvn3":
        return tcvn3_to_unicode(data.decode("latin-1"))
    if encoding == "utf-16":
        return data.decode("utf-16")  # the BOM decides the byte order
    if encoding == "utf-8":
        return data.decode("utf-8-sig")
    return data.decode(encoding)


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text of a file and the encoding it was read with. `encoding` "auto" reads the
    byte-order mark, then tries UTF-8, then picks between Windows-1258 and TCVN3 by which
    gives Vietnamese letters, then asks charset-normalizer. Raises UnicodeDecodeError
    (ValueError) when the chosen encoding does not fit the bytes."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}")
    if encoding != "auto":
        return nfc(_decode(data, encoding)), encoding
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return nfc(data.decode("utf-16")), "utf-16"
    try:
        return nfc(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:200_000]
    scored = []
    for name in ("cp1258", "tcvn3"):
        try:
            scored.append((vietnamese_score(nfc(_decode(sample, name))), name))
        except UnicodeDecodeError:
            continue
    best = max(scored, default=(0.0, ""))
    if best[0] >= 0.6:
        return nfc(_decode(data, best[1])), best[1]
    guess = from_bytes(sample).best()
    if guess is None:
        raise UnicodeDecodeError("auto", sample, 0, 1, "no encoding fits")
    return nfc(data.decode(guess.encoding)), guess.encoding
