"""Bilingual (Chinese / English / mixed) text analysis for the matching engine.

Pipeline, per field:

1. NFKC normalisation (full-width forms → ASCII, compatibility characters folded).
2. Script split with one regular expression over the normalised text:
   * runs of Han characters → jieba, precise mode (HMM on), with an optional user dictionary
     (:meth:`Analyzer.add_vocabulary`, e.g. industry and discipline names);
   * Latin/Greek/Cyrillic letters and digits, joined by ``- / . + _ & '`` inside a token
     ("GB/T", "4754-2017", "Li-ion", "PM2.5", "5G") → one token kept intact (lower-cased),
     plus its parts when it has joiners (stemmed, stop words dropped);
   * plain English words → lower-cased, stop list, Snowball English stemmer (PyStemmer);
   * anything else that is a word character (kana, Hangul, …) → lower-cased as is.
3. Optional Chinese character bigrams (:func:`cjk_bigrams`) for a second, recall-oriented field.

Every token carries its span in the NFKC text (:meth:`Analyzer.spans`), used to highlight
matches. The analyzer never raises on any ``str`` input.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

__all__ = ["Analyzer", "Token", "analyze", "bigram_codes", "bigram_term", "cjk_bigrams", "default_analyzer",
           "latin_share", "latin_shares", "normalize"]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_LAT = r"0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_TOKEN_RE = re.compile(
    rf"(?P<han>[{_HAN}]+)"
    rf"|(?P<lat>[{_LAT}]+(?:[-/.+_&'][{_LAT}]+)*)"
    rf"|(?P<other>[^\W_{_HAN}{_LAT}]+)"
)
_JOINER_RE = re.compile(r"[-/.+_&']")
_HAN_CHAR_RE = re.compile(rf"[{_HAN}]")
_LATIN_CHAR_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")

ENGLISH_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else etc
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through thus to too under until up upon very via
    was we were what when where which while who whom why will with within without would yet you
    your yours yourself yourselves s t d ll m o re ve y e.g i.e et al""".split()
)

CHINESE_STOP = frozenset(
    """的 了 和 与 及 或 在 是 对 等 为 并 而 其 将 从 以 于 由 被 把 这 那 之 该 此 也 又 就 都 则 但
    着 个 种 我们 本文 通过 进行 一种 以及 具有 可以 对于 采用 利用 基于 研究 方法 分析 提出 结果 表明
    及其 其中 一个 这些 这种 它们 他们 并且 而且 因此 所以 如果 已经""".split()
)
# Words that are frequent in abstracts but still topical are kept ("研究", "方法" are dropped above
# because every Chinese abstract carries them; BM25's idf would give them almost nothing anyway).

_log = logging.getLogger(__name__)


class Token(NamedTuple):
    """One analysed token: ``term`` (index form), ``start``/``end`` span in the NFKC text."""

    term: str
    start: int
    end: int


def normalize(text: str) -> str:
    """NFKC normalisation (never raises; lone surrogates are dropped)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return unicodedata.normalize("NFKC", text)
    except Exception:  # pragma: no cover - defensive (NFKC itself does not raise on str)
        return unicodedata.normalize("NFKC", text.encode("utf-8", "replace").decode("utf-8"))


def latin_share(text: str) -> float:
    """Share of Latin letters among Latin + Han characters (1.0 = English only, 0.0 = Chinese only)."""
    if not text:
        return 0.0
    han = len(_HAN_CHAR_RE.findall(text))
    lat = len(_LATIN_CHAR_RE.findall(text))
    if han + lat == 0:
        return 0.0
    # A Han character carries about as much as a short English word (~4 letters).
    return lat / (lat + 4.0 * han)


_BIGRAM_RE = re.compile(rf"(?=([{_HAN}]{{2}}))|(?<![{_HAN}])([{_HAN}])(?![{_HAN}])")


def cjk_bigrams(text: str) -> list[str]:
    """Character bigrams of every Han run (a single-character run gives the character)."""
    return [a or b for a, b in _BIGRAM_RE.findall(normalize(text))]


# -- vectorised batch versions (the engine's build path): one UTF-32 array per batch of texts ------
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))
_LAT_RANGES = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F))
_CODE_BITS = 21  # a code point fits in 21 bits


def _codepoints(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the texts joined by "\n" (uint32) and the start of each text in that array."""
    joined = "\n".join(texts)
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lens = np.fromiter(map(len, texts), np.int64, len(texts))
    starts = np.zeros(len(texts), np.int64)
    if len(texts) > 1:
        np.cumsum(lens[:-1] + 1, out=starts[1:])
    return cp, starts


def _in_ranges(cp: np.ndarray, ranges) -> np.ndarray:
    m = np.zeros(cp.shape[0], bool)
    for lo, hi in ranges:
        m |= (cp >= lo) & (cp <= hi)
    return m


def _per_text_sum(mask: np.ndarray, starts: np.ndarray) -> np.ndarray:
    if starts.shape[0] == 0:
        return np.zeros(0, np.int64)
    c = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
    ends = np.r_[starts[1:] - 1, mask.shape[0]]
    return c[ends] - c[starts]


def latin_shares(texts: list[str]) -> np.ndarray:
    """:func:`latin_share` of every text (float64), vectorised over the batch."""
    if not texts:
        return np.zeros(0)
    cp, starts = _codepoints(texts)
    han = _per_text_sum(_in_ranges(cp, _HAN_RANGES), starts).astype(np.float64)
    lat = _per_text_sum(_in_ranges(cp, _LAT_RANGES), starts).astype(np.float64)
    den = lat + 4.0 * han
    return np.divide(lat, den, out=np.zeros_like(lat), where=den > 0)


def bigram_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cjk_bigrams` of every text as int64 codes, in text then position order, and the
    number of codes per text. A bigram ``ab`` is ``ord(a) << 21 | ord(b)``, a lone character its
    code point (:func:`bigram_term` turns a code back into the term)."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    norm = [t if t.isascii() else normalize(t) for t in texts]
    cp, starts = _codepoints(norm)
    han = _in_ranges(cp, _HAN_RANGES)
    nxt = np.r_[han[1:], False]
    prv = np.r_[False, han[:-1]]
    pair = han & nxt
    lone = han & ~nxt & ~prv
    pos = np.flatnonzero(pair | lone)
    c = cp[pos].astype(np.int64)
    isp = pair[pos]
    c[isp] = (c[isp] << _CODE_BITS) | cp[pos[isp] + 1].astype(np.int64)
    ends = np.r_[starts[1:], cp.shape[0] + 1]
    counts = np.diff(np.searchsorted(pos, np.r_[starts, ends[-1]]))
    return c, counts


def bigram_term(code: int) -> str:
    """The bigram (or lone character) of a :func:`bigram_codes` code."""
    return chr(code) if code < (1 << _CODE_BITS) else chr(code >> _CODE_BITS) + chr(code & ((1 << _CODE_BITS) - 1))


_jieba_base = None
_jieba_lock = threading.Lock()


def _base_jieba():
    """jieba's default dictionary, loaded once per process (analyzers copy it)."""
    global _jieba_base
    with _jieba_lock:
        if _jieba_base is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _jieba_base = tk
    return _jieba_base


class Analyzer:
    """Bilingual analyzer with its own jieba dictionary (user vocabulary added per analyzer)."""

    def __init__(self, vocabulary: Iterable[str] = (), *, stem: bool = True,
                 chinese_stop: bool = True, english_stop: bool = True) -> None:
        self._jieba = None
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self.vocabulary: list[str] = []
        self.stem = stem
        self._cstop = CHINESE_STOP if chinese_stop else frozenset()
        self._estop = ENGLISH_STOP if english_stop else frozenset()
        self._stemmer = None
        self._stem_cache: dict[str, str] = {}
        self.add_vocabulary(vocabulary)

    # -- configuration -------------------------------------------------------------------------
    def add_vocabulary(self, terms: Iterable[str]) -> int:
        """Add domain terms (industry / discipline names …) to the jieba user dictionary.

        Terms are NFKC-normalised and lower-cased; only terms containing Han characters matter to
        jieba (Latin terms are tokenised by rule anyway). Returns the number of terms accepted.
        """
        n = 0
        for t in terms or ():
            if not isinstance(t, str):
                continue
            t = normalize(t).strip().lower()
            if not t or not _HAN_CHAR_RE.search(t) or any(c.isspace() for c in t):
                continue
            self.vocabulary.append(t)
            self._pending.append(t)
            n += 1
        if self._jieba is not None and self._pending:
            self._flush_vocab()
        return n

    def _flush_vocab(self) -> None:
        for t in self._pending:
            # Only the Han runs reach jieba: add each run of the term as a word.
            for m in _TOKEN_RE.finditer(t):
                run = m.group("han")
                if run and len(run) > 1:
                    self._jieba.add_word(run)  # type: ignore[attr-defined]
        self._pending.clear()

    def _tok(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    jieba.setLogLevel(logging.WARNING)
                    base = _base_jieba()
                    tk = jieba.Tokenizer()
                    # a private copy of the process-wide dictionary (the user words of one analyzer
                    # must not leak into another), without loading it again (~1.4 s)
                    tk.FREQ, tk.total = dict(base.FREQ), base.total
                    tk.initialized = True
                    self._jieba = tk
                    self._flush_vocab()
        return self._jieba

    def _stem(self, word: str) -> str:
        if not self.stem:
            return word
        s = self._stem_cache.get(word)
        if s is None:
            if self._stemmer is None:
                import Stemmer

                self._stemmer = Stemmer.Stemmer("english")
            s = self._stemmer.stemWord(word)  # type: ignore[attr-defined]
            if len(self._stem_cache) < 500_000:
                self._stem_cache[word] = s
        return s

    # -- analysis ------------------------------------------------------------------------------
    def spans(self, text: str, *, normalized: bool = False) -> list[Token]:
        """Tokens with spans into ``normalize(text)`` (or ``text`` itself if ``normalized``)."""
        if not normalized:
            text = normalize(text)
        out: list[Token] = []
        if not text:
            return out
        estop = self._estop
        for m in _TOKEN_RE.finditer(text):
            kind = m.lastgroup
            start = m.start()
            if kind == "han":
                run = m.group()
                pos = start
                for w in self._tok().cut(run, HMM=True):
                    if w and w not in self._cstop:
                        out.append(Token(w, pos, pos + len(w)))
                    pos += len(w)
            elif kind == "lat":
                raw = m.group()
                low = raw.lower()
                if _JOINER_RE.search(low):
                    # Model codes / compounds: keep the whole token, add the parts.
                    out.append(Token(low, start, m.end()))
                    pos = 0
                    for part in _JOINER_RE.split(low):
                        i = low.find(part, pos)
                        pos = i + len(part)
                        if not part or part in estop or len(part) == 1 and not part.isdigit():
                            continue
                        term = self._stem(part) if part.isalpha() else part
                        out.append(Token(term, start + i, start + i + len(part)))
                else:
                    if low in estop:
                        continue
                    term = self._stem(low) if low.isalpha() else low
                    out.append(Token(term, start, m.end()))
            else:
                out.append(Token(m.group().lower(), start, m.end()))
        return out

    def _terms(self, text: str) -> list[str]:
        """The terms of :meth:`spans` without the spans (C-level findall, no per-token objects)."""
        out: list[str] = []
        if not text:
            return out
        estop, cstop = self._estop, self._cstop
        stem = self._stem
        cache = self._stem_cache
        for han, lat, other in _TOKEN_RE.findall(text):
            if han:
                out.extend(w for w in self._tok().cut(han, HMM=True) if w and w not in cstop)
            elif lat:
                low = lat.lower()
                if _JOINER_RE.search(low):
                    out.append(low)
                    for part in _JOINER_RE.split(low):
                        if not part or part in estop or len(part) == 1 and not part.isdigit():
                            continue
                        out.append(stem(part) if part.isalpha() else part)
                elif low not in estop:
                    if low.isalpha():
                        t = cache.get(low) if self.stem else low
                        out.append(t if t is not None else stem(low))
                    else:
                        out.append(low)
            else:
                out.append(other.lower())
        return out

    def analyze(self, text: str) -> list[str]:
        """Index tokens of ``text`` (see the module docstring)."""
        try:
            return self._terms(normalize(text))
        except Exception:  # pragma: no cover - never crash on odd input
            _log.exception("analyzer failed; falling back to whitespace split")
            return normalize(text).lower().split()


_default: Analyzer | None = None


def default_analyzer() -> Analyzer:
    global _default
    if _default is None:
        _default = Analyzer()
    return _default


def analyze(text: str) -> list[str]:
    """Analyse ``text`` with the default bilingual analyzer: the tokens used for indexing."""
    return default_analyzer().analyze(text)
