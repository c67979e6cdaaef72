r"""Spontaneous emission of a qubit into a zero-temperature bath (SL26 Eqs. 35-41, Fig. 8).

One subsystem, the qubit A with H_A = (omega/2) sigma_z, evolves under the
Lindblad master equation (SL26 Eq. 35)

    d rho/dt = -i [H_A, rho] + gamma (sigma_- rho sigma_+ - {sigma_+ sigma_-, rho}/2),

from the excited state.  Everything below is derived in SymPy from that
equation (:func:`decay_solution`), nothing is copied from the paper:

* P_e(t) solves the linear ODE system of the four matrix elements; the
  coherences start at zero and stay zero, so rho_A is diagonal.
* The entropy-matched thermal state (EL23 Eq. 3) of a qubit with populations
  {P_e, 1 - P_e} has excited population q = min(P_e, 1 - P_e): the binary
  entropy is symmetric about 1/2, so q is P_e or 1 - P_e, and beta >= 0 picks
  the one <= 1/2 (:func:`qubit_entropy_matched`).  While P_e > 1/2 the thermal
  state therefore puts the *larger* population in the ground state.  The
  branch switches when P_e = 1/2, at tau = ln(2)/gamma (solved, not typed),
  where beta = 0.  Before tau (received convention)

      Q_A = omega (1 - P_e),   W_A = -2 omega (1 - P_e),

  after tau

      Q_A = omega P_e,         W_A = -omega   (constant: no work after tau).

* ``Q_standard``: the heat of the standard (Spohn/Alicki) framework, SL26
  Eqs. 17-18 with a time-independent H: W^st = 0 and
  Q^st(t) = int_0^t Tr[d rho/dt H] dt' = E_A(t) - E_A(0).  Like Q_A and W_A
  it is given in the convention of the row (received by default: the heat
  received by the qubit, = omega (P_e - 1); ``provided`` negates it).

Comparison with the printed equations (provided convention there):
Eqs. 36-37, 39 and 40 agree with the derivation (the differences are
unchanged by a shift of the zero of energy, so they hold for H = (omega/2)
sigma_z and for levels {0, omega} alike).  Eq. 41, Q_q = omega (P_e - 1) for
t > tau, does not: the definition gives Q_q = -omega P_e (provided).  Eq. 41
is Q_q(tau) plus the *received* increment of the standard heat; only the
increments of Q and Q^st coincide after tau, not Q and Q^st themselves.
Eq. 38, Q^st = omega (P_e - 1), is the received standard heat, while the
text around it uses the provided convention ("the system always provides
heat").

>>> from symthermo.models import get_model
>>> from symthermo.numbers import FLOAT64
>>> m = get_model("spontaneous-emission")
>>> p = m.params({})
>>> row = m.evaluate(p, [100 * 0.6931471805599453], lib=FLOAT64, convention="provided")[0]
>>> round(row["P_e"], 12), round(row["beta_A"], 12), round(row["W_A"], 12)
(0.5, 0.0, 1.0)
"""

from __future__ import annotations

import functools

import numpy as np

from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter, _lambdified
from .float64_columns import ColumnRows, column_of, underflowed, within_rounding
from ..lazy import lazy_import
from ..heat_work import check_convention
from ..numbers import FLOAT64, numpy_lambdify, without_cancellation

sympy = lazy_import("sympy")

__all__ = ["SpontaneousEmission", "decay_solution", "qubit_entropy_matched",
           "lindblad_rhs"]

# qubit basis (|e>, |g>): sigma_z = diag(1, -1), sigma_- = |g><e| (SIGMA_Z, SIGMA_MINUS,
# SIGMA_PLUS, EXCITED are made on first use: _symbolic_constants at the end)


def lindblad_rhs(H, rho, terms):
    """-i[H, rho] + sum_k rate_k (L rho L^dag - {L^dag L, rho}/2), in SymPy."""
    out = -sympy.I * (H * rho - rho * H)
    for rate, L in terms:
        Ld = L.H
        out += rate * (L * rho * Ld - (Ld * L * rho + rho * Ld * L) / 2)
    return out


def decay_solution(omega, gamma):
    """rho_A(t) solving SL26 Eq. 35 from |e><e| (SymPy ``dsolve`` of the 4 ODEs).

    >>> import sympy
    >>> from symthermo.models.spontaneous_emission import decay_solution
    >>> w, g = sympy.symbols("omega gamma", positive=True)
    >>> decay_solution(w, g)[0, 0]
    exp(-gamma*t)
    """
    from .base import T  # lazy (PEP 562)
    from .spontaneous_emission import EXCITED, SIGMA_MINUS, SIGMA_Z  # lazy (PEP 562)
    names = ("r_ee", "r_eg", "r_ge", "r_gg")
    funcs = [sympy.Function(n)(T) for n in names]
    rho = sympy.Matrix(2, 2, funcs)
    rhs = lindblad_rhs(omega / 2 * SIGMA_Z, rho, [(gamma, SIGMA_MINUS)])
    eqs = [sympy.Eq(sympy.diff(rho[i, j], T), rhs[i, j]) for i in range(2) for j in range(2)]
    ics = {f.subs(T, 0): EXCITED[k // 2, k % 2] for k, f in enumerate(funcs)}
    sol = sympy.dsolve(eqs, funcs, ics=ics)
    values = {s.lhs: s.rhs for s in sol}
    return rho.subs(values)


def qubit_entropy_matched(p_e, omega):
    """The two candidate (beta, E^th) of a qubit H = (omega/2) sigma_z with P_e = p_e.

    The thermal excited population q(beta) = 1/(1 + e^{beta omega}) must have
    the entropy of {p_e, 1 - p_e}; the binary entropy is symmetric about 1/2
    and injective on [0, 1/2], so q = p_e or q = 1 - p_e.  Solving q(beta) = x
    (SymPy ``solve`` for e^{beta omega}) gives beta = ln((1 - x)/x)/omega,
    >= 0 iff x <= 1/2.

    Returns ``{"direct": (beta, Eth), "swapped": (beta, Eth)}``: ``direct``
    (q = p_e) is the thermal state when p_e <= 1/2, ``swapped`` (q = 1 - p_e,
    the larger population on the ground state) when p_e >= 1/2.

    >>> import sympy
    >>> from symthermo.models.spontaneous_emission import qubit_entropy_matched
    >>> x, w = sympy.symbols("x omega", positive=True)
    >>> qubit_entropy_matched(x, w)["direct"]
    (log((1 - x)/x)/omega, omega*(2*x - 1)/2)
    """
    boltzmann, x = sympy.symbols("y_q x_q", positive=True)  # y = e^{beta omega}
    (y,) = sympy.solve(sympy.Eq(1 / (1 + boltzmann), x), boltzmann)
    solution = sympy.log(y) / omega
    out = {}
    for branch, excited in (("direct", p_e), ("swapped", 1 - p_e)):
        b = sympy.simplify(solution.subs(x, excited))
        eth = sympy.factor(omega / 2 * (2 * excited - 1))  # Tr[w H] = (omega/2)(q - (1 - q))
        out[branch] = (b, eth)
    return out


def _with_numbers_put_in(derive, omega, gamma):
    """``derive(omega, gamma)`` (a dict of SymPy forms) derived with positive symbols and
    the numbers put in, when both are positive numbers; None otherwise.  SymPy's solve,
    simplify and rewriting with a number in the exponent took minutes (gamma = 1e-10) or
    exhausted memory (gamma = 0.006227: a polynomial in exp(t/10^6) of degree 6227)."""
    if not all(x.is_Number and x.is_positive for x in (omega, gamma)):
        return None
    w, g = sympy.symbols("omega gamma", positive=True)
    values = {w: omega, g: gamma}
    return {k: v.subs(values) for k, v in derive(w, g).items()}


@functools.lru_cache(maxsize=32)
def _derive(omega, gamma):
    numeric = _with_numbers_put_in(_derive, omega, gamma)
    if numeric is not None:
        return numeric
    from .base import T  # lazy (PEP 562)
    from .spontaneous_emission import SIGMA_Z  # lazy (PEP 562)
    rho = decay_solution(omega, gamma)
    p_e = sympy.simplify(rho[0, 0])
    if any(sympy.simplify(rho[i, j]) != 0 for i, j in ((0, 1), (1, 0))):
        raise AssertionError("coherences of the decaying qubit should vanish")  # pragma: no cover
    p_g = sympy.simplify(rho[1, 1])
    H = omega / 2 * SIGMA_Z
    energy = sympy.simplify((rho * H).trace())
    # the branch switch: P_e(tau) = 1/2, with P_e decreasing (dP_e/dt = -gamma P_e)
    branches = qubit_entropy_matched(p_e, omega)
    if gamma == 0:  # the excited state stays pure: the thermal state is the ground state
        tau, beta, eth = sympy.oo, sympy.oo, -omega / 2
    else:
        (tau,) = sympy.solve(sympy.Eq(p_e, sympy.Rational(1, 2)), T)
        tau = sympy.expand_log(tau, force=True)
        b_sw, e_sw = branches["swapped"]
        b_di, e_di = branches["direct"]
        beta = sympy.Piecewise((b_sw, T <= tau), (b_di, True))
        eth = sympy.Piecewise((e_sw, T <= tau), (e_di, True))
    # standard heat: int_0^t Tr[drho/dt' H] dt' (no work: H does not depend on time)
    s = sympy.Symbol("s", nonnegative=True)
    q_standard = sympy.integrate((sympy.diff(rho, T) * H).trace().subs(T, s), (s, 0, T))
    return {
        "rho": rho, "P_e": p_e, "P_g": p_g, "E": energy, "beta": beta, "Eth": eth,
        "tau": tau, "Q_standard": sympy.simplify(q_standard),
    }


class SpontaneousEmission(Model):
    """A qubit decaying into a zero-temperature bath (SL26 Eqs. 35-41, Fig. 8)."""

    name = "spontaneous-emission"
    source = "SL26 Eqs. 35-41, Fig. 8"
    description = ("qubit H_A = (omega/2) sigma_z decaying at rate gamma into a zero-temperature "
                   "bath (Lindblad), from the excited state; subsystem A only")
    subsystems = ("A",)
    unitary = False
    parameters = (
        Parameter("omega", "1", "qubit frequency: H_A = (omega/2) sigma_z", latex=r"\omega"),
        Parameter("gamma", "0.01", "decay rate Gamma of SL26 Eq. 35", latex=r"\gamma"),
    )
    extra_keys = {
        "P_e": "excited-state population of the qubit",
        "Q_standard": ("standard (Spohn/Alicki) heat SL26 Eq. 38, int Tr[drho/dt H_A] dt = "
                       "Delta E_A (no standard work: H_A is time independent); in the row's "
                       "convention (received by default)"),
    }
    #: tau = ln 2/gamma (P_e = 1/2, the thermal state switches branch: the one time the
    #: text names) and two points of Fig. 8's decay (its axis is not in the text)
    paper_times = ("log(2)/gamma", "1/gamma", "3/gamma")

    def check_parameters(self, p):
        w = p["omega"]
        if w.is_number and not w.is_positive:
            raise ValueError(f"omega must be positive, got {w}")

    def closed_forms(self, p):
        from .spontaneous_emission import SIGMA_Z  # lazy (PEP 562)
        d = _derive(p["omega"], p["gamma"])
        w = p["omega"]
        a = LocalForms(
            hamiltonian=w / 2 * SIGMA_Z,
            energy=d["E"],
            spectrum=_ascending(d["P_e"], d["P_g"], d["tau"]),
            beta=d["beta"],
            thermal_energy=d["Eth"],
            diagonal=True,  # populations only: the coherences stay 0 (SL26 Eq. 35)
        )
        notes = {
            "P_e": "dsolve of SL26 Eq. 35 (4 linear ODEs) from |e><e|; coherences stay 0",
            "tau": f"P_e(tau) = 1/2 solved: tau = {sympy.sstr(d['tau'])}; the thermal state "
                   "puts max(P_e, P_g) on the ground level (beta >= 0), switching branch at tau",
            "Q_standard": "int_0^t Tr[drho/dt H_A] dt (received convention; provided negates)",
        }
        return ClosedForms(subsystems={"A": a},
                           extras={"P_e": d["P_e"], "Q_standard": d["Q_standard"]},
                           notes=notes)

    def local_hamiltonians(self, p):
        from .spontaneous_emission import SIGMA_Z  # lazy (PEP 562)
        return {"A": p["omega"] / 2 * SIGMA_Z}

    def reduced_data(self, p, times, *, lib):
        # beta is evaluated from the spectrum by the same closed form ln(max/min)/omega
        # (beta_from_entropy._beta_of_spectrum), which gives inf at t = 0, where P_g = 0 exactly
        forms = self.closed_forms(p)
        forms.subsystems["A"].beta = None
        if lib is FLOAT64:
            forms.subsystems["A"].thermal_energy = _expanded(forms.subsystems["A"].thermal_energy)
        else:
            # the heat E^th(t) - E^th(0) without its cancellation (in balls at gamma t =
            # 1000 it was a bound 6.2e-179 about P_e = 5e-435)
            forms.subsystems["A"].thermal_increment = _thermal_increment(p)
        fns = _lambdified(forms, lib)
        return [fns(t) for t in times]

    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` for all times at once: the closed forms lambdified to
        numpy once per parameter set, E^th's two branches selected by t <= tau."""
        return self._params_cached("arrays", p, lambda: _compile_arrays(p))(times)

    def dynamics(self, p, *, lib):
        from .spontaneous_emission import EXCITED, SIGMA_MINUS, SIGMA_Z  # lazy (PEP 562)
        w, g = p["omega"], p["gamma"]
        H = w / 2 * SIGMA_Z
        return Dynamics(dims=[2], hamiltonian=H, coupling=sympy.zeros(2),
                        initial_state=EXCITED, local_hamiltonians={"A": H},
                        lindblad=[(g, SIGMA_MINUS)])

    def evaluate(self, p, times, *, lib, convention="received", proven=None):
        rows = super().evaluate(p, times, lib=lib, convention=convention, proven=proven)
        return _signed(rows, convention)

    def propagate(self, p, times, *, lib, convention="received"):
        rows = super().propagate(p, times, lib=lib, convention=convention)
        return _signed(rows, convention)

    def propagated_extras(self, p, rows, *, lib):
        w = float(p["omega"]) if lib is FLOAT64 else lib.number(p["omega"])
        out = []
        for row in rows:
            e0 = row["_internal"]["q0"]["A"]["E"]
            # E_A = (omega/2)(P_e - P_g) = omega P_e - omega/2
            out.append({"P_e": row["E_A"] / w + lib.one / 2, "Q_standard": row["E_A"] - e0})
        return out


def _branch_forms(d):
    """(E^th before tau, after tau) of :func:`_derive`'s result (the same form twice
    without a switch)."""
    from .base import T  # lazy (PEP 562)
    eth = d["Eth"]
    if isinstance(eth, sympy.Piecewise):
        (before, cond), (after, _) = eth.args
        if cond != (T <= d["tau"]):  # pragma: no cover - fixed by _derive
            raise AssertionError(f"unexpected branch condition {cond}")
        return before, after
    return eth, eth


def _increments(d, before, after):
    """E(t) - E(0) and E^th(t) - E^th(0) on both branches (tau > 0: E^th(0) is the first
    branch's), simplified so that they vanish term by term at t = 0 (e^{-gamma t} - 1
    becomes an expm1): no cancellation at small times nor once P_e is below the
    working precision."""
    from .base import T  # lazy (PEP 562)
    eth0 = before.subs(T, 0)
    return without_cancellation([sympy.simplify(e) for e in (
        d["E"] - d["E"].subs(T, 0), before - eth0, after - eth0)])


def _thermal_increment(p):
    """E^th(t) - E^th(0) as one closed form (a Piecewise at tau, as E^th)."""
    from .base import T  # lazy (PEP 562)
    forms = _float64_forms(p["omega"], p["gamma"])
    if forms["tau"] is sympy.oo:
        return forms["dEth_before"]
    return sympy.Piecewise((forms["dEth_before"], T <= forms["tau"]),
                           (forms["dEth_after"], True))


@functools.lru_cache(maxsize=32)
def _float64_forms(omega, gamma):
    """The forms of the float64 route and of the heat increment: E, P_e, P_g (an expm1),
    E^th's branches (expanded), Q_standard, E(t) - E(0) and E^th(t) - E^th(0) on each
    branch (without cancellation), tau; derived with symbols, the numbers put in."""
    numeric = _with_numbers_put_in(_float64_forms, omega, gamma)
    if numeric is not None:
        return numeric
    d = _derive(omega, gamma)
    before, after = (_expanded(e) for e in _branch_forms(d))
    d_e, d_before, d_after = _increments(d, before, after)
    # P_g = 1 - e^{-gamma t} as -expm1(-gamma t) (all its digits at gamma t = 1e-11), and
    # Q_standard, an increment too
    forms = {"E": d["E"], "P_e": d["P_e"], "P_g": without_cancellation(d["P_g"]),
             "before": before, "after": after, "tau": d["tau"],
             "Q_standard": without_cancellation(sympy.simplify(d["Q_standard"])),
             "dE": d_e, "dEth_before": d_before, "dEth_after": d_after}
    return {k: _without_overflow(v) for k, v in forms.items()}


def _without_overflow(expr):
    """exp(-x) expm1(x) written -expm1(-x): the same number, where the first is
    0 * inf = nan once x > 709 (a decay at gamma t = 1000).

    >>> import sympy
    >>> from sympy.codegen.cfunctions import expm1
    >>> from symthermo.models.spontaneous_emission import _without_overflow
    >>> w, g, t = sympy.symbols("omega gamma t", positive=True)
    >>> _without_overflow(-w * sympy.exp(-g * t) * expm1(g * t) / 2)
    omega*expm1(-gamma*t)/2
    """
    from sympy.codegen.cfunctions import expm1

    def rewrite(product):
        factors = list(product.args)
        for i, f in enumerate(factors):
            if isinstance(f, expm1):
                x = f.args[0]
                for j, h in enumerate(factors):
                    if h.func is sympy.exp and sympy.expand(h.args[0] + x) == 0:
                        rest = [q for k, q in enumerate(factors) if k not in (i, j)]
                        return -sympy.Mul(*rest) * expm1(-x)
        return product

    return expr.replace(lambda e: e.is_Mul, rewrite)


def _compile_arrays(p):
    """times -> reduced data (numpy) of :meth:`SpontaneousEmission.reduced_arrays`."""
    from .base import T  # lazy (PEP 562)
    f = _float64_forms(p["omega"], p["gamma"])
    tau = numpy_lambdify([], f["tau"])() if f["tau"] is not sympy.oo else np.inf
    fn = numpy_lambdify(T, [f[k] for k in ("E", "P_e", "P_g", "before", "after", "Q_standard",
                                            "dE", "dEth_before", "dEth_after")], cse=True)

    omega, gamma = float(p["omega"]), float(p["gamma"])

    def at(ts):
        n = len(ts)
        E, pe, pg, e_before, e_after, q_st, d_e, d_before, d_after = [
            column_of(v, n) for v in fn(ts)]
        first = ts <= tau
        # E_A = omega (P_e - 1/2) next to P_e = 1/2 (t = ln 2/gamma; beta_A, E^th_A and the
        # ergotropy with it): its rounding 4 eps omega (P_e + 1/2), and that of gamma t
        # (eps gamma t) times omega gamma P_e t
        unearned = within_rounding(E, omega * (6 + gamma * float(np.maximum.reduce(ts))),
                                   lambda: omega * (4 * (pe + 0.5) + gamma * pe * ts))
        if unearned is not None:
            unearned &= ts != 0
        # P_e below float64's normal range (a decay at gamma t > 708) has no digits left
        lost = underflowed(pe, screen=True)
        if lost is not None:
            unearned = lost if unearned is None else lost | unearned
        # the spectrum {P_e, P_g} in any order (sorted by the finishing, as per row);
        # amplitude damping from |e> keeps the qubit diagonal in the energy basis
        return {"A": {"E": E, "spectrum": [pe, pg], "Eth": np.where(first, e_before, e_after),
                      "diagonal": True, "dE": d_e, "dEth": np.where(first, d_before, d_after)},
                "P_e": pe, "Q_standard": q_st, "unearned": unearned}

    return at


def _expanded(expr):
    """E^th for float64: (exp(gamma t) - 2) exp(-gamma t) expanded to 1 - 2 exp(-gamma t),
    which has no inf * 0 at late times (t = 1e5 at gamma = 0.01 gave nan).  mpmath keeps
    the derived form (its precision check refuses where that form loses digits)."""
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(sympy.expand(e), c) for e, c in expr.args])
    return sympy.expand(expr)


def _ascending(p_e, p_g, tau):
    from .base import T  # lazy (PEP 562)
    if tau is sympy.oo:
        return [p_g, p_e]
    return [sympy.Piecewise((p_g, T <= tau), (p_e, True)),
            sympy.Piecewise((p_e, T <= tau), (p_g, True))]


def _signed(rows, convention):
    """Q_standard is derived as received heat; ``provided`` negates it like Q and W."""
    if check_convention(convention) == "provided":
        if isinstance(rows, ColumnRows):
            rows.negate(["Q_standard"])
            return rows
        for row in rows:
            row["Q_standard"] = -row["Q_standard"]
    return rows


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    SIGMA_Z = sympy.diag(1, -1)
    SIGMA_MINUS = sympy.Matrix([[0, 0], [1, 0]])
    SIGMA_PLUS = SIGMA_MINUS.T
    EXCITED = sympy.diag(1, 0)
    return {'EXCITED': EXCITED, 'SIGMA_MINUS': SIGMA_MINUS, 'SIGMA_PLUS': SIGMA_PLUS, 'SIGMA_Z': SIGMA_Z}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('EXCITED', 'SIGMA_MINUS', 'SIGMA_PLUS', 'SIGMA_Z'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
