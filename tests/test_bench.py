"""scripts/bench.py: the text a build renders is counted from each page's main element only."""
from __future__ import annotations

from scripts.bench import words_on_pages

PAGE = """<!DOCTYPE html><html><head><title>Two words</title><script>var not_counted = 1;</script></head>
<body><nav>Navigation is the theme's</nav>
<article role="main" id="main"><h1>Taliban rise</h1><p>In 1996 the <a href="#x">Taliban</a><br>took
<img src="k.png" alt="a map">Kabul.</p><script>let skipped = "words";</script><style>p { color: red }</style>
<section><p>A second <em>paragraph</em>.</p></section></article>
<footer>Footer words are the theme's too</footer></body></html>"""


def test_only_the_words_of_each_pages_main_element_count(tmp_path):
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text('<div role="main">One more</div><p>not this</p>', encoding="utf-8")
    # "Taliban rise" 2, "In 1996 the Taliban took Kabul." 6, "A second paragraph." 3; and "One more" 2
    assert words_on_pages(tmp_path) == 13
