"""A tiny book whose two figures bring a Type 3 font and an unembedded font into its PDF.

The test (tests/test_pdf_fonts.py) draws type3.pdf and unembedded.pdf with matplotlib into a copy of this folder,
builds the PDF and expects scripts/check_pdf_fonts.py to refuse it, naming both figures.
"""
project = "Planted fonts"
author = "The book's tests"
extensions = ["myst_parser"]
latex_engine = "lualatex"
latex_documents = [("index", "planted.tex", project, author, "howto")]
latex_elements = {"fontpkg": r"\setmainfont{Noto Serif}\setsansfont{Noto Sans}\setmonofont{Noto Sans Mono}"}
