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
