"""formulas.tex: the definitions rendered from the code by latexify, and a pdflatex compile."""

import re
import shutil
import subprocess

import pytest

from symthermo.definitions import DEFINITIONS
from symthermo.formulas import compile_pdf, definitions_latex, formulas_document, symbolic_forms, tex_escape
from symthermo.models import get_model

CHECK = {"id": "EL23:S23", "paper": "EL23", "equation": "S23", "status": "differs",
         "detail": "cos(Omega t) where cos(lambda t) belongs; overall sign",
         "published_latex": r"z_{A}(t) = \frac{g^{2}}{2\Omega^{2}\lambda^{2}} \cos(\Omega t) \tag{S23}",
         "derived_latex": r"z_{A}(t) = - \frac{g^{2}}{2 \lambda^{2}} \cos{\left(\lambda t \right)}",
         "witness": {"params": {"g": "1"}, "t": "1", "published": "0.398", "derived": "-0.409"}}


def test_definitions_are_rendered_from_the_functions_that_run():
    rendered = definitions_latex()
    assert len(rendered) == len(DEFINITIONS)
    text = dict(rendered)
    # the rendering follows the code: changing a definition would change these
    assert text["heat received by a subsystem (EL23 Eq. 6)"] == \
        r"Q = E^{\mathrm{th}}(t) - E^{\mathrm{th}}(0)"
    assert text["Carnot bound (EL23)"] == \
        r"\eta_{\mathrm{C}} = \frac{\beta_{B}(0)}{\beta_{A}(0) - \beta_{B}(0)}"
    for tex in text.values():  # no Python identifier reaches the page
        assert not re.search(r"\\mathrm\{\w+\\_", tex), tex


LONG_CHECK = dict(CHECK, published_latex=r"z_{A}(t)=" + r"\frac{g^{2}}{2\Omega^{2}}" * 40,
                  witness={"params": {"g": "1", "omega_A": "1.63"}, "t": "1",
                           "published": "0." + "3" * 40, "derived": "-0." + "4" * 40})


def test_text_is_escaped():
    assert tex_escape("a_b & |g> 50%") == r"a\_b \& \textbar{}g\textgreater{} 50\%"


@pytest.fixture(scope="module")
def document():
    forms = [symbolic_forms(get_model(name)) for name in ("spontaneous-emission", "exchange",
                                                           "refrigerator")]
    return formulas_document(forms, [CHECK, LONG_CHECK])


def test_document_holds_models_and_checks(document):
    assert document.startswith(r"\documentclass")
    assert r"\subsection*{exchange" in document and r"\subsection*{spontaneous-emission" in document
    assert r"\omega_{A}" in document or r"\omega_A" in document  # parameters kept symbolic
    assert "EL23:S23: differs" in document and "Witness" in document


def test_document_compiles_with_pdflatex(document, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base texlive-latex-extra)")
    tex = tmp_path / "formulas.tex"
    tex.write_text(document)
    pdf, message = compile_pdf(tex)
    assert message == "ok", message
    assert pdf.read_bytes().startswith(b"%PDF")


def test_document_has_no_overfull_box_and_no_python_identifier(document, tmp_path):
    """Long printed LaTeX and 40-digit witnesses wrap; closed forms break between terms."""
    assert "\\mathrm{beta\\_" not in document and "{'" not in document and "**" not in document
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base texlive-latex-extra)")
    (tmp_path / "formulas.tex").write_text(document)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "formulas.tex"], cwd=tmp_path,
                   capture_output=True, timeout=300)
    log = (tmp_path / "formulas.log").read_text(errors="replace")
    sizes = [float(x) for x in re.findall(r"Overfull \\[hv]box \((\d+\.?\d*)pt too", log)]
    assert max(sizes, default=0) <= 1, sizes


def _text_outside_math(tex):
    """The document's text mode: comments, math ($...$, displays) and typewriter source
    (the papers' LaTeX and witnesses, shown as source on purpose) removed."""
    tex = re.sub(r"(?<!\\)%.*", "", tex)
    for env in ("equation*", "align*", "align", "equation", "gather*", "multline*"):
        e = re.escape(env)
        tex = re.sub(r"\\begin\{%s\}.*?\\end\{%s\}" % (e, e), " ", tex, flags=re.S)
    tex = re.sub(r"\\\[.*?\\\]", " ", tex, flags=re.S)
    tex = re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", tex, flags=re.S)
    return re.sub(r"\\texttt\{(?:[^{}]|\{\})*\}", " ", tex)


def _code_in_text(tex):
    """Python identifiers with an underscore (escaped or not) and ** in text mode."""
    text = _text_outside_math(tex)
    return re.findall(r"[A-Za-z0-9]+(?:\\?_[A-Za-z0-9]+)+|\*\*", text)


def test_scan_finds_code_in_text():
    # the scan itself: code in prose is found, the same in math or in \texttt is not
    assert _code_in_text(r"the frequency omega\_A and g**2") == [r"omega\_A", "**"]
    assert _code_in_text(r"$\omega_{A}$ and \texttt{omega\_A} % beta_B") == []
    assert _code_in_text("\\begin{align*}\nE_{A} &= x_1\n\\end{align*}\n") == []


@pytest.mark.parametrize("name", ["refrigerator", "jaynes-cummings", "exchange",
                                  "spontaneous-emission", "reaction-coordinate", "qutrit-swap"])
def test_model_notes_are_in_the_papers_notation(name):
    """Every model's description and notes, as formulas.tex prints them: no Python
    identifier with an underscore outside math, no ** anywhere in text."""
    from symthermo.formulas import tex_escape
    from symthermo.notation import prose_latex

    model = get_model(name)
    notes = model.closed_forms(model.params()).notes
    texts = [model.description, *notes, *notes.values()]
    assert any("_" in t for t in texts)  # the notes do name symbols: the test has teeth
    for text in texts:
        assert _code_in_text(tex_escape(text)) or "_" not in text and "**" not in text
        assert _code_in_text(prose_latex(text)) == [], (text, prose_latex(text))


def test_document_text_is_in_the_papers_notation(document):
    assert _code_in_text(document) == []
