"""The transcriptions of EL23 and SL26: complete, well-formed, and faithful to the print."""

import doctest
import re
from pathlib import Path

import pytest
import sympy
from sympy import cos, tanh
from sympy.core.function import AppliedUndef

from symthermo.papers import EL23, SL26, el23, sl26, symbols
from symthermo.papers.symbols import (
    CLAIM_LABEL, KINDS, PrintedEquation, declared_names, latex)

PAPERS_DIR = Path(__file__).resolve().parents[2] / "shared" / "papers"
MARKDOWN = {
    "EL23": PAPERS_DIR / "elouard-latune-2023-laws-autonomous.md",
    "SL26": PAPERS_DIR / "santos-latune-2026-thermodynamic-analysis.md",
}
REGISTRY = {"EL23": EL23, "SL26": SL26}
MODULE = {"EL23": el23, "SL26": sl26}

#: Every numbered equation of the stated ranges.
EXPECTED = {
    "EL23": [str(n) for n in range(1, 18)] + [f"S{n}" for n in range(1, 39)],
    "SL26": ([str(n) for n in range(1, 43)] + [f"A{n}" for n in range(1, 4)]
             + [f"C{n}" for n in range(1, 7)]),
}
#: Numbers in the stated ranges that the paper's markdown does not print.
NOT_IN_MARKDOWN = {
    ("EL23", "S23"): "the z_A(t) display has no label; S23 is inferred from the order "
                     "S22 < z_A(t) < (S24) (the z_B(t) display ends with '(S24)')",
}
#: Figure-level claims the brief asks for.
REQUIRED_CLAIMS = {
    "EL23": {"Fig2-claim-refrigeration", "Fig2-claim-cop-carnot", "S16-claim-sigma-negative"},
    "SL26": {"Fig1-claim-wst", "Fig2-claim-no-work", "Fig3-claim-coherence-transfer",
             "AppB-claim-mirror-symmetry"},
}

ENTRIES = EL23 + SL26


def _norm(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def markdown():
    if not all(p.exists() for p in MARKDOWN.values()):
        pytest.skip(f"papers not found in {PAPERS_DIR}")
    return {k: p.read_text(encoding="utf-8") for k, p in MARKDOWN.items()}


def _printed_labels(text):
    """The equation numbers the markdown prints: (5), \\tag{5}, (\\text{A1}) or a bare S25)."""
    found = re.findall(r"\\tag\{(\w+)\}|\(\\text\{(\w+)\}\)|\((\w+)\)|\b(S\d+)\)", text)
    return {x for groups in found for x in groups if x}


class TestNumbering:
    @pytest.mark.parametrize("paper", ["EL23", "SL26"])
    def test_labels_unique(self, paper):
        labels = [e.equation for e in REGISTRY[paper]]
        assert len(labels) == len(set(labels))

    @pytest.mark.parametrize("paper", ["EL23", "SL26"])
    def test_no_equation_missing_and_none_invented(self, paper):
        labels = [e.equation for e in REGISTRY[paper]]
        numbered = [x for x in labels if not CLAIM_LABEL.match(x)]
        assert numbered == EXPECTED[paper]  # complete, and in the paper's order

    @pytest.mark.parametrize("paper", ["EL23", "SL26"])
    def test_required_claims_present(self, paper):
        labels = {e.equation for e in REGISTRY[paper]}
        assert REQUIRED_CLAIMS[paper] <= labels

    @pytest.mark.parametrize("paper", ["EL23", "SL26"])
    def test_labels_printed_in_markdown(self, paper, markdown):
        labels = _printed_labels(markdown[paper])
        for label in EXPECTED[paper]:
            printed = label in labels
            if (paper, label) in NOT_IN_MARKDOWN:
                assert not printed, f"{paper}:{label} is printed after all; update NOT_IN_MARKDOWN"
            else:
                assert printed, f"{paper}:{label} not found in the markdown"

    def test_unprinted_labels_are_explained_in_notes(self):
        for (paper, label) in NOT_IN_MARKDOWN:
            assert "LABEL NOT PRINTED" in MODULE[paper].equation(label).note

    def test_figure_kind_only_for_claims(self):
        for paper in REGISTRY:
            for e in REGISTRY[paper]:
                if e.kind == "figure":
                    assert CLAIM_LABEL.match(e.equation), e.id


class TestEntries:
    # one test per property, looping over entries (hundreds of parametrised cases
    # would cost more than the checks themselves)

    def test_well_formed(self):
        for e in ENTRIES:
            assert isinstance(e, PrintedEquation), e
            assert e.kind in KINDS, e.id
            assert e.published_latex.strip() and e.note.strip(), e.id
            assert e.printed is None or isinstance(e.printed, sympy.Basic), e.id
            assert isinstance(e.printed_alternatives, tuple), e.id
            assert all(isinstance(a, sympy.Basic) for a in e.printed_alternatives), e.id

    def test_relations_are_not_evaluated(self):
        for e in ENTRIES:
            for form in (e.printed, *e.printed_alternatives):
                if form is None:
                    continue
                parts = form.args if isinstance(form, sympy.Tuple) else (form,)
                assert all(p not in (sympy.true, sympy.false) for p in parts), e.id

    def test_every_name_is_declared(self):
        for e in ENTRIES:
            for form in (e.printed, *e.printed_alternatives):
                assert declared_names(form) == set(), e.id

    def test_no_symbol_shares_a_name_with_a_function_in_one_form(self):
        for e in ENTRIES:
            for form in (e.printed, *e.printed_alternatives):
                if form is None:
                    continue
                names = {s.name for s in form.free_symbols if isinstance(s, sympy.Symbol)}
                funcs = {f.func.__name__ for f in form.atoms(AppliedUndef)}
                assert not names & funcs, e.id

    def test_scalar_functions_stay_commutative(self):
        rho = symbols.rho_A(symbols.t)
        assert symbols.Tr(rho * symbols.H_A).is_commutative
        assert symbols.S_vN(rho).is_commutative

    def test_latex_prints(self):
        for e in ENTRIES:
            if e.printed is not None:
                assert latex(e.printed), e.id

    def test_published_latex_is_copied_from_the_markdown(self, markdown):
        for paper in REGISTRY:
            text = _norm(markdown[paper])
            for e in REGISTRY[paper]:
                for line in e.published_latex.splitlines():
                    if line.strip():
                        assert _norm(line) in text, f"{e.id}: {line[:60]!r}"

    def test_garbled_entries_have_alternatives(self):
        for label in ("S24", "S33", "S34"):
            e = el23.equation(label)
            assert "GARBLED" in e.note and e.printed_alternatives

    def test_lookup(self):
        assert el23.equation("EL23:S5") is el23.equation("S5")
        assert sl26.equation("SL26:C5") is sl26.equation("C5")
        with pytest.raises(KeyError, match="'S39'"):
            el23.equation("S39")
        with pytest.raises(KeyError, match="'A4'"):
            sl26.equation("A4")

    def test_record_rejects_bad_input(self):
        with pytest.raises(ValueError, match="'XX'"):
            PrintedEquation("XX", "1", "identity", "x", None, "n")
        with pytest.raises(TypeError, match="str"):
            PrintedEquation("EL23", "1", "identity", "x", "x + 1", "n")
        with pytest.raises(ValueError, match="empty"):
            PrintedEquation("EL23", "1", "identity", "  ", None, "n")

    @pytest.mark.parametrize("module", [symbols, el23, sl26])
    def test_doctests(self, module):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0


class TestTyposKept:
    """Spot checks that the print, not a corrected form, is transcribed."""

    def test_S23_has_no_cos_lambda_t(self):
        cosines = el23.equation("S23").printed.atoms(cos)
        assert cos(symbols.lam * symbols.t) not in cosines
        assert cos(symbols.Omega * symbols.t) in cosines
        assert symbols.omega_a in el23.equation("S23").printed.free_symbols

    def test_S23_keeps_bare_and_initial_betas(self):
        free = el23.equation("S23").printed.free_symbols
        assert {symbols.beta_A_bare, symbols.beta_B_bare, symbols.beta_B0} <= free

    def test_S24_literal_reading_keeps_the_stray_fragment(self):
        e = el23.equation("S24")
        fragment = tanh(symbols.beta_B0 * symbols.omega_B / 2) * cos(symbols.Omega * symbols.t)
        dropped = e.printed_alternatives[0].rhs
        scale = symbols.lam**2 * symbols.Omega**2
        assert sympy.expand(e.printed.rhs - dropped + fragment / scale) == 0
        assert len(e.printed_alternatives) == 2

    def test_S25_has_cos_lambda_t_and_one_factor_denominator(self):
        e = el23.equation("S25").printed
        assert cos(symbols.lam * symbols.t) in e.atoms(cos)
        # printed Delta E_int(0) != 0 at the refrigerator defaults
        vals = {symbols.g: 1, symbols.omega_A: 1, symbols.omega_B: sympy.Rational(163, 100),
                symbols.beta_A_bare: 2, symbols.beta_A0: 2, symbols.beta_B0: sympy.Rational(18, 10),
                symbols.t: 0}
        vals[symbols.lam] = sympy.sqrt(1 + (1 + vals[symbols.omega_B])**2)
        vals[symbols.Omega] = sympy.sqrt(1 + (1 - vals[symbols.omega_B])**2)
        assert abs(float(e.rhs.subs(vals))) > 1e-3

    def test_eq14_and_S37_summand_ignores_the_summation_index(self):
        N, j, t = symbols.N, symbols.j, symbols.t
        for label in ("14", "S37"):
            printed = el23.equation(label).printed
            lhs = printed.lhs
            sums = [s for s in lhs.atoms(sympy.Sum)]
            assert len(sums) == 1
            value = sums[0].subs({N: 3, j: 1}).doit()
            assert sympy.simplify(value - 2 * symbols.beta_gen(1, 0) * symbols.Q(1, t)) == 0

    def test_eq8_keeps_tn_superscript(self):
        assert symbols.E_B_tn in {f.func for f in el23.equation("8").printed.atoms(
            AppliedUndef)}

    def test_S3_sign_as_printed(self):
        e = el23.equation("S3").printed
        assert sympy.simplify(e.rhs - (sympy.log(symbols.r_eig[symbols.l]) + symbols.c)
                              / symbols.beta) == 0

    def test_S16_claim_prints_sigma_A(self):
        e = el23.equation("S16-claim-sigma-negative")
        assert symbols.sigma_A in {f.func for f in e.printed.atoms(AppliedUndef)}
        assert e.printed_alternatives

    def test_SL26_eq4_provided_heat(self):
        e = sl26.equation("4").printed
        j, t = symbols.j, symbols.t
        assert e == sympy.Eq(symbols.Q(j, t), -(symbols.Uth(j, t) - symbols.Uth(j, 0)),
                             evaluate=False)

    def test_SL26_eq5_keeps_index_swap(self):
        D_terms = sl26.equation("5").printed.atoms(symbols.D)
        j, t = symbols.j, symbols.t
        assert symbols.D(symbols.rho_th(j, t), symbols.rho_th(j, 0)) in D_terms

    def test_SL26_eq6_minus_sign(self):
        e = sl26.equation("6").printed
        j, t = symbols.j, symbols.t
        assert sympy.simplify(e.rhs + symbols.beta_gen(j, t)
                              * sympy.Derivative(symbols.Q(j, t), t)) == 0

    def test_SL26_eq34_swapped_kets(self):
        rhs = sl26.equation("34").printed.rhs
        assert rhs.coeff(symbols.proj_e) == symbols.p_gB(symbols.t)

    def test_SL26_eq41_as_printed(self):
        e = sl26.equation("41").printed
        assert sympy.simplify(e.rhs - symbols.omega * (symbols.P_e_t(symbols.t) - 1)) == 0

    def test_SL26_eq8_literal_bracket(self):
        e = sl26.equation("8")
        assert not e.printed.rhs.is_commutative  # Tr[rho - rho^th] H_j is an operator
        assert e.printed_alternatives[0].rhs.is_commutative
