"""The bilingual analyzer: normalisation, segmentation, codes, stemming, never-crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qiao.matching.engine import analyze
from qiao.matching.engine.analysis import Analyzer, cjk_bigrams, latin_share, normalize

_SHARED = Analyzer(["深度学习系统"])


def test_codes_kept_intact_with_parts():
    toks = analyze("GB/T 4754-2017 Li-ion 5G PM2.5")
    for t in ("gb/t", "4754-2017", "li-ion", "5g", "pm2.5"):
        assert t in toks
    assert "2017" in toks and "ion" in toks


def test_english_stop_words_and_stemming():
    toks = analyze("The networks were trained on running datasets")
    assert "the" not in toks and "were" not in toks
    assert "network" in toks and "run" in toks and "dataset" in toks


def test_full_width_and_case_are_normalised():
    assert analyze("ＰＭ２．５ ＤＥＥＰ") == analyze("pm2.5 deep")
    assert normalize("ＡＢＣ") == "ABC"


def test_chinese_segmentation_and_mixed_script():
    toks = analyze("基于深度学习的锂电池健康状态估计Li-ion battery")
    assert "深度" in toks and "学习" in toks and "锂电池" in toks
    assert "li-ion" in toks and "batteri" in toks
    assert "的" not in toks  # Chinese stop word


def test_user_vocabulary_keeps_domain_terms_whole():
    a = Analyzer()
    assert "储能系统集成" not in a.analyze("储能系统集成技术")
    assert a.add_vocabulary(["储能系统集成", "", None, "plain english"]) == 1
    assert "储能系统集成" in a.analyze("储能系统集成技术")


def test_spans_point_into_normalised_text():
    a = _SHARED
    text = normalize("深度学习 for Ｉｍａｇｅ recognition, GB/T 4754-2017")
    for tok in a.spans(text, normalized=True):
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start:tok.end]


def test_bigrams_and_latin_share():
    assert cjk_bigrams("锂电池a储") == ["锂电", "电池", "储"]
    assert latin_share("deep learning") == 1.0
    assert latin_share("深度学习") == 0.0
    assert 0.0 < latin_share("深度学习 deep learning") < 1.0
    assert latin_share("") == 0.0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_crashes_on_any_text(text):
    toks = analyze(text)
    assert isinstance(toks, list) and all(isinstance(t, str) and t for t in toks)
    assert isinstance(cjk_bigrams(text), list)
    assert 0.0 <= latin_share(text) <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("深度学习锂电池ab-/.0 9，。ＡＢ\u0301\ud7ff_")), max_size=60))
def test_never_crashes_on_mixed_script_text(text):
    for tok in _SHARED.spans(text):
        assert tok.term


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("深度学习锂电池ab-/.0 9，。ＡＢİ\u0301_xThe")), max_size=60))
def test_fast_terms_equal_spans(text):
    assert _SHARED.analyze(text) == [t.term for t in _SHARED.spans(text)]
