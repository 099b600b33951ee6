"""Vietnamese text: folding for search and slugs.

Folding makes "dong thap", "Đồng Tháp" and "ĐỒNG THÁP" equal: lower-case,
`đ→d`, combining marks stripped. Unicode decomposition alone leaves `đ`
(U+0111 has no decomposition), so it is mapped first. PostgreSQL's
`unaccent` does the same; stored `*_folded` columns make the behaviour
identical on SQLite.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.text import slugify

_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return `text` lower-cased, with `đ→d` and without diacritics.

    Runs of white space become one space and the ends are trimmed, so a
    query typed with stray spaces still matches.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


@lru_cache(maxsize=4096)
def fold_cached(text: str) -> str:
    """`fold` for short strings that repeat (unit names, codes)."""
    return fold(text)


def slugify_vi(text: str, max_length: int = 100) -> str:
    """Return a URL slug that keeps `đ` as `d` ("Đơn thư" → "don-thu")."""
    slug = slugify(fold(text))
    return slug[:max_length].rstrip("-")
