"""scripts/compare_builds.py: two builds of one book compare equal; a changed word, page or map does not."""
from __future__ import annotations

from pathlib import Path

from scripts import compare_builds


def build(folder: Path, date: str, map_hash: str, word: str = "Kabul", pdf: bytes = b"%PDF-1.5 same") -> Path:
    pdf += b" trailer << /ID [<" + map_hash.upper().encode() + b"> <" + map_hash.upper().encode() + b">] >>"
    (folder / "html" / "_images").mkdir(parents=True)
    (folder / "html" / "page.html").write_text(
        f'<img src="_images/kabul-{map_hash}.svg"><p>{word}</p>\n<div class="last-updated">\n'
        f"  Last updated on {date}</div>\n", encoding="utf-8")
    (folder / "html" / "_images" / f"kabul-{map_hash}.svg").write_text("<svg>the map</svg>", encoding="utf-8")
    (folder / "html" / ".buildinfo").write_text(f"config: {map_hash}\n", encoding="utf-8")
    (folder / "html" / "searchindex.js").write_text(
        f'Search.setIndex({{"docnames":["page"],"envversion":{{"{map_hash[:3]}.notes":1}},"titles":["{word}"]}})',
        encoding="utf-8")
    (folder / "pdf").mkdir()
    (folder / "pdf" / f"{compare_builds.BOOK}.pdf").write_bytes(pdf)
    return folder


def test_the_same_book_built_twice_compares_equal(tmp_path, capsys):
    before = build(tmp_path / "before", "2026-11-01", "0123456789abcdef")
    after = build(tmp_path / "after", "2026-11-30", "fedcba9876543210")
    assert compare_builds.main([str(before), str(after)]) == 0
    assert "hold the same book" in capsys.readouterr().out


def test_a_changed_word_page_map_or_pdf_is_reported(tmp_path):
    before = build(tmp_path / "before", "2026-11-01", "0123456789abcdef")
    after = build(tmp_path / "after", "2026-11-01", "0123456789abcdef", word="Kandahar", pdf=b"%PDF-1.5 else")
    (after / "html" / "_images" / "kabul-0123456789abcdef.svg").write_text("<svg>moved</svg>", encoding="utf-8")
    (after / "html" / "new.html").write_text("", encoding="utf-8")
    found = compare_builds.html_differences(before / "html", after / "html")
    assert [line.split(" (")[0] for line in found] == [
        "html: only after: new.html", "html: _images/kabul-MAP.svg differs", "html: page.html differs",
        "html: searchindex.js differs"]
    assert "Kabul" in found[2] and "Kandahar" in found[2]
    assert compare_builds.pdf_differences(before, after)[0].startswith("pdf: ")
