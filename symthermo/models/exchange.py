r"""Two qubits exchanging an excitation (SL26 Eq. 32, Figs. 5-7).

H = omega_A sigma_ee^A + omega_B sigma_ee^B + g (sigma_+^A sigma_-^B + sigma_-^A sigma_+^B),
each qubit in the basis {|g>, |e>} (E_g = 0, E_e = omega), sigma_+ = |e><g|,
joint basis |gg>, |ge>, |eg>, |ee> with A first.  Initial states: ``excited``,
``ground``, ``plus`` ((|g> + |e>)/sqrt 2) and ``mixed`` (1/2), in any of the 16
combinations, at any detuning.

Derivation (:func:`derive_case`, SymPy, from H):

- the excitation number N = sigma_ee^A + sigma_ee^B commutes with H, so
  H = (omega_A + omega_B)/2 N + H' with H' = (delta/2)(sigma_ee^A - sigma_ee^B) + V,
  delta = omega_A - omega_B; exp(-iHt) = exp(-i(omega_A + omega_B)N t/2) exp(-iH't),
  the first factor a product of local phase rotations (it changes neither
  spectra nor energies, and commutes with V, so E_int is unchanged either);
- H' is 0 on |gg> and |ee> and, on {|ge>, |eg>}, the traceless
  [[-delta/2, g], [g, delta/2]] of frequency nu = sqrt(delta^2 + 4 g^2):
  U' = 1 (+) [cos(nu t/2) - (2i/nu) sin(nu t/2) K] (+) 1, so every entry of
  rho'(t) = U' rho(0) U'^dag, initial coherences included, is a polynomial of
  degree 2 in C = cos(nu t/2), S = sin(nu t/2);
- from the reduced states: p_e(t), |<g|rho|e>|^2, det rho = p_g p_e - |c|^2
  (factored, with (1 - C^2) written S^2 so that nothing cancels near a pure
  state), the eigenvalues (1 +- r)/2 with r = sqrt((p_e - p_g)^2 + 4|c|^2),
  the smaller one evaluated as det/[(1 + r)/2]; E_int = 2 g Re rho_{eg,ge}.

At resonance nu = 2g: for A excited and B ground, p_e^A = cos^2(gt) and the
reduced states stay diagonal; with A in ``plus``, A's coherence is handed
to B at g t = pi/2 (Fig. 7).  I_AB(t) = Delta S_A + Delta S_B (unitary
evolution from a product state).

>>> from symthermo.models.exchange import Exchange
>>> m = Exchange()
>>> m.closed_forms(m.params()).subsystems["A"].energy    # omega_A = 1, g = 1/100
cos(t/100)**2
"""

from __future__ import annotations

import functools

import numpy as np

from ..lazy import lazy_import
from ..entropy import entropy_of_spectrum
from ..numbers import EXACT, FLOAT64, MPMATH
from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter, entropy_expression
from .float64_columns import _EPS, column_of
from .local_rows import _to_lib
from .blocks import _kron, evolve_in_blocks
from .qubit_columns import finish_qubit_columns, finish_qubits, qubit_entropy_beta

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["Exchange", "derive_case", "STATES", "hamiltonians"]

STATES = ("excited", "ground", "plus", "mixed")

_PARAMETERS = (
    Parameter("omega_A", "1", "frequency of qubit A (H_A = omega_A |e><e|)", latex=r"\omega_A"),
    Parameter("omega_B", "1", "frequency of qubit B", latex=r"\omega_B"),
    Parameter("g", "0.01", "exchange coupling g (sigma_+ sigma_- + h.c.)", latex="g"),
    Parameter("state_A", "excited", "initial state of A", choices=STATES),
    Parameter("state_B", "ground", "initial state of B", choices=STATES),
)
_DERIVED = {}


def state_matrix(name):
    """The initial state called ``name``, in the basis {|g>, |e>}."""
    if name == "excited":
        return sympy.diag(0, 1)
    if name == "ground":
        return sympy.diag(1, 0)
    if name == "plus":
        return sympy.ones(2, 2) / 2
    if name == "mixed":
        return sympy.eye(2) / 2
    raise ValueError(f"unknown qubit state {name!r}; expected one of {', '.join(STATES)}")


def hamiltonians(wA, wB, g):
    """(H_A, H_B, V, H) in the basis {|g>, |e>} per qubit, A first."""
    see = sympy.diag(0, 1)
    sp = sympy.Matrix([[0, 0], [1, 0]])  # sigma_+ = |e><g|
    sm = sp.T
    I2 = sympy.eye(2)
    V = g * (_kron(sp, sm) + _kron(sm, sp))
    HA, HB = wA * see, wB * see
    return HA, HB, V, _kron(HA, I2) + _kron(I2, HB) + V


def _canonical(expr, nu2):
    """Expand with S^2 -> 1 - C^2 and nu^2 -> its value, factor, then write the
    factor (C - 1)(C + 1) back as -S^2 (accurate near C = 1)."""
    from .exchange import _C, _NU, _S  # lazy (PEP 562)
    e = sympy.expand(sympy.expand(expr).subs(_S ** 2, 1 - _C ** 2).subs(_NU ** 2, nu2))
    e = sympy.factor(e)
    return e.subs((_C - 1) * (_C + 1), -_S ** 2)


def derive_case(state_A, state_B):
    """Reduced-state data for one pair of initial states (parameters symbolic, cached).

    Returns a dict with, for X in A, B: ``pe_X``, ``pg_X``, ``c_X`` (the
    frame coherence <g|rho'_X|e>), ``c2_X`` (|c_X|^2), ``det_X``, ``diagonal_X``
    (True when c_X vanishes identically), and ``E_int``, ``nu2`` (the squared
    frequency found from H'), ``commutes`` (True: [N, H] = 0); expressions are
    in the symbols C = cos(nu t/2), S = sin(nu t/2), nu.
    """
    from .exchange import _C, _NU, _S, _SYMBOLS  # lazy (PEP 562)
    key = (state_A, state_B)
    if key in _DERIVED:
        return _DERIVED[key]
    wA, wB, g = _SYMBOLS["omega_A"], _SYMBOLS["omega_B"], _SYMBOLS["g"]
    _, _, V, H = hamiltonians(wA, wB, g)
    see, I2 = sympy.diag(0, 1), sympy.eye(2)
    N = _kron(see, I2) + _kron(I2, see)
    Hp = H - (wA + wB) / 2 * N
    rho0 = _kron(state_matrix(state_A), state_matrix(state_B))
    rho_t, freqs = evolve_in_blocks(Hp, rho0)
    (nu, nu2, C, S), = freqs
    rho_t = rho_t.applyfunc(lambda e: e.subs({nu: _NU, C: _C, S: _S}))
    out = {"nu2": nu2, "commutes": (H * N - N * H).is_zero_matrix}
    conj = {sympy.I: -sympy.I}
    for name, red in (("A", [[rho_t[2 * i, 2 * j] + rho_t[2 * i + 1, 2 * j + 1] for j in range(2)]
                             for i in range(2)]),
                      ("B", [[rho_t[i, j] + rho_t[2 + i, 2 + j] for j in range(2)] for i in range(2)])):
        c = _canonical(red[0][1], nu2)
        c2 = _canonical(red[0][1] * red[0][1].subs(conj), nu2)
        out[f"pe_{name}"] = _canonical(red[1][1], nu2)
        out[f"pg_{name}"] = _canonical(red[0][0], nu2)
        out[f"c_{name}"] = c
        out[f"c2_{name}"] = c2
        out[f"det_{name}"] = _canonical(red[0][0] * red[1][1] - red[0][1] * red[0][1].subs(conj), nu2)
        out[f"diagonal_{name}"] = c == 0
    out["E_int"] = _canonical(2 * g * sympy.re(sympy.expand(rho_t[2, 1])), nu2)
    _DERIVED[key] = out
    return out


def _time_subs(p):
    from .base import T  # lazy (PEP 562)
    from .exchange import _C, _NU, _S  # lazy (PEP 562)
    wA, wB, g = p["omega_A"], p["omega_B"], p["g"]
    nu = sympy.sqrt((wA - wB) ** 2 + 4 * g ** 2)
    return nu, {_C: sympy.cos(nu * T / 2), _S: sympy.sin(nu * T / 2), _NU: nu}


class Exchange(Model):
    name = "exchange"
    source = "SL26 Eq. 32, Figs. 5-7"
    description = ("two qubits omega_A sigma_ee^A + omega_B sigma_ee^B + g (sigma_+ sigma_- + h.c.); "
                   "any detuning and initial states excited, ground, plus, mixed (basis {|g>,|e>})")
    parameters = _PARAMETERS
    extra_keys = {}
    unitary = True
    paper_times = ("pi/(4*g)", "pi/(2*g)")

    def __init__(self):
        self._cache = {}

    def check_parameters(self, p):
        for name in ("omega_A", "omega_B", "g"):
            v = p[name]
            if isinstance(v, sympy.Basic) and v.is_number and v == 0:
                raise ValueError(f"{name} must be > 0, got {v}")

    def _numeric_names(self, p):
        from .exchange import _SYMBOLS  # lazy (PEP 562)
        return {k: p[k] for k in _SYMBOLS}

    def _case(self, p):
        from .exchange import _SYMBOLS  # lazy (PEP 562)
        d = derive_case(p["state_A"], p["state_B"])
        fill = {_SYMBOLS[k]: v for k, v in self._numeric_names(p).items()}
        return d, fill

    def closed_forms(self, p) -> ClosedForms:
        from .base import T  # lazy (PEP 562)
        key = ("forms",) + tuple(sorted((k, sympy.srepr(sympy.sympify(v))) for k, v in p.items()))
        if key in self._cache:
            return self._cache[key]
        d, fill = self._case(p)
        nu, to_t = _time_subs(p)
        HA, HB, V, _ = hamiltonians(p["omega_A"], p["omega_B"], p["g"])
        subsystems, entropies = {}, {}
        for n, H, w in (("A", HA, p["omega_A"]), ("B", HB, p["omega_B"])):
            pe = d[f"pe_{n}"].subs(fill).subs(to_t)
            pg = d[f"pg_{n}"].subs(fill).subs(to_t)
            c2 = d[f"c2_{n}"].subs(fill).subs(to_t)
            r = sympy.sqrt((pe - pg) ** 2 + 4 * c2)
            lo, hi = (1 - r) / 2, (1 + r) / 2
            subsystems[n] = LocalForms(hamiltonian=H, energy=w * pe, spectrum=[lo, hi],
                                       beta=sympy.log(hi / lo) / w, thermal_energy=w * lo)
            entropies[n] = -lo * sympy.log(lo) - hi * sympy.log(hi)
        # I_AB = Delta S_A + Delta S_B (unitary from a product state); S(0) from the
        # spectrum at t = 0 with 0 ln 0 = 0, never by substituting into p ln p
        mutual = sum((entropies[n] - entropy_expression([x.subs(T, 0) for x in subsystems[n].spectrum])
                      for n in entropies), sympy.Integer(0))
        forms = ClosedForms(
            subsystems=subsystems,
            interaction_energy=d["E_int"].subs(fill).subs(to_t),
            mutual_information=mutual,
            notes={
                "basis": "each qubit {|g>,|e>}, E_g = 0; joint |gg>,|ge>,|eg>,|ee>",
                "frame": ("exp(-iHt) = exp(-i(omega_A+omega_B)N t/2) exp(-iH't), N the excitation "
                          "number; the first factor is local and changes no key"),
                "frequency": "nu = sqrt((omega_A - omega_B)^2 + 4 g^2) (2g at resonance)",
                "spectrum": "eigenvalues (1 -+ r)/2, r = sqrt((p_e - p_g)^2 + 4|<g|rho|e>|^2); "
                            "evaluated as det(rho)/[(1 + r)/2] and (1 + r)/2",
                "I_AB": "unitary evolution from a product state: I_AB(t) = Delta S_A + Delta S_B",
            })
        self._cache[key] = forms
        return forms

    def reduced_states(self, p):
        """rho_A(t), rho_B(t) in the lab frame, as SymPy matrices in t."""
        from .base import T  # lazy (PEP 562)
        d, fill = self._case(p)
        _, to_t = _time_subs(p)
        phase = sympy.exp(sympy.I * (p["omega_A"] + p["omega_B"]) * T / 2)
        out = {}
        for n in ("A", "B"):
            pe = d[f"pe_{n}"].subs(fill).subs(to_t)
            pg = d[f"pg_{n}"].subs(fill).subs(to_t)
            c = d[f"c_{n}"].subs(fill).subs(to_t) * phase
            out[n] = sympy.Matrix([[pg, c], [sympy.conjugate(c), pe]])
        return out

    def dynamics(self, p, *, lib) -> Dynamics:
        HA, HB, V, H = hamiltonians(p["omega_A"], p["omega_B"], p["g"])
        rho0 = _kron(state_matrix(p["state_A"]), state_matrix(p["state_B"]))
        return Dynamics(dims=[2, 2], hamiltonian=H, coupling=V, initial_state=rho0,
                        local_hamiltonians={"A": HA, "B": HB})

    # -- evaluation ------------------------------------------------------------
    def _compiled(self, p):
        """Polynomials in (C, S) for each needed quantity, coefficients exact."""
        from .exchange import _C, _NU, _S  # lazy (PEP 562)
        key = ("compiled",) + tuple(sorted((k, sympy.srepr(sympy.sympify(v))) for k, v in p.items()))
        if key not in self._cache:
            d, fill = self._case(p)
            nu = sympy.sqrt((p["omega_A"] - p["omega_B"]) ** 2 + 4 * p["g"] ** 2)
            names = ["pe_A", "pg_A", "c2_A", "det_A", "pe_B", "pg_B", "c2_B", "det_B", "E_int"]
            polys = []
            for n in names:
                e = sympy.expand(d[n].subs(fill).subs(_NU, nu))
                polys.append([(i, j, c) for (i, j), c in sympy.Poly(e, _C, _S).terms()])
            self._cache[key] = (names, polys, nu, d["diagonal_A"], d["diagonal_B"])
        return self._cache[key]

    def _increments(self, p):
        """({X: :func:`_increment_parts` of p_e^X}, {X: whether X's spectrum is constant
        in time}) (exact, cached): the spectrum is (1 -+ r)/2, constant when the
        polynomial r^2 = (p_e - p_g)^2 + 4 |c|^2 has no increment (an identity in C, S:
        a qubit left mixed by a partner in |+>, or both qubits excited)."""
        from .exchange import _C, _S  # lazy (PEP 562)
        key = ("increments",) + tuple(sorted((k, sympy.srepr(sympy.sympify(v)))
                                             for k, v in p.items()))
        if key not in self._cache:
            names, polys = self._compiled(p)[:2]

            def expr(name):
                return sum((c * _C**i * _S**j for i, j, c in polys[names.index(name)]),
                           sympy.Integer(0))

            steady = {}
            for n in ("A", "B"):
                r2 = sympy.expand((expr(f"pe_{n}") - expr(f"pg_{n}")) ** 2 + 4 * expr(f"c2_{n}"))
                terms = [(i, j, c) for (i, j), c in sympy.Poly(r2, _C, _S).terms()]
                steady[n] = _increment_parts(terms) == ([], [], 0)
            self._cache[key] = ({n: _increment_parts(polys[names.index(f"pe_{n}")])
                                 for n in ("A", "B")}, steady)
        return self._cache[key]

    def reduced_data(self, p, times, *, lib):
        from ..ball_conversion import ipow  # lazy: loads SymPy, flint
        if lib is EXACT:
            return super().reduced_data(p, times, lib=lib)
        names, polys, nu, diag_A, diag_B = self._compiled(p)
        if lib is FLOAT64:
            num = lambda x: float(sympy.N(x, 20))  # noqa: E731
        else:
            num = lambda x: +_to_lib(lib, x)  # noqa: E731
        coeffs = [[(i, j, num(c)) for i, j, c in poly] for poly in polys]
        half = num(nu) / 2
        w = {"A": num(p["omega_A"]), "B": num(p["omega_B"])}
        diagonal = {"A": diag_A, "B": diag_B}
        tiny = lib.tolerance ** 2

        def values(C, S):
            return {n: sum((c * ipow(C, i) * ipow(S, j) for i, j, c in poly), lib.zero)
                    for n, poly in zip(names, coeffs)}

        if lib is FLOAT64:
            ts = np.asarray([float(t) for t in times])
            Cs, Ss = np.cos(half * ts), np.sin(half * ts)
            cs = [(float(a), float(b)) for a, b in zip(Cs, Ss)]
        elif lib is MPMATH:
            cs = [(mpmath.cos(half * t), mpmath.sin(half * t)) for t in times]
        else:  # balls (symthermo.balls)
            cs = [(lib.cos(half * t), lib.sin(half * t)) for t in times]
        # t = 0: the initial state's exact values (C = 1, S = 0 summed in SymPy), not a
        # sum of rounded coefficients (a mixed qubit detuned from its partner: p_e(0) =
        # 1/2 exactly, so that its beta(0) = 0 and ergotropy(0) = 0 are the structure's)
        v0 = {n: num(sum((c for i, j, c in poly if j == 0), sympy.Integer(0)))
              for n, poly in zip(names, polys)}
        rows = [dict(v0) if lib.is_exact_zero(t) else values(C, S)
                for t, (C, S) in zip(times, cs)]
        if lib is not FLOAT64 and lib is not MPMATH:
            # balls: E(t) - E(0) from the increment of p_e (base._finish's W): an exact 0
            # where p_e is constant (both qubits excited), not a ball about 0
            # and E^th(t) - E^th(0) = omega (lo(t) - lo(0)) an exact 0 where the spectrum
            # is constant (Q = 0, not a ball about 0)
            exact, steady = self._increments(p)
            increments = {n: [[(j, num(c)) for j, c in part] for part in parts[:2]]
                          + [num(parts[2])] for n, parts in exact.items()}
            for v, (C, S) in zip(rows, cs):
                for n in w:
                    v[f"dE_{n}"] = w[n] * _ball_increment(lib, increments[n], C, S)
                    if steady[n]:
                        v[f"dEth_{n}"] = v[f"dS_{n}"] = lib.zero

        s0 = {n: entropy_of_spectrum(lib, _spectrum(lib, v0, n, diagonal[n], tiny)) for n in w}
        out = []
        for v in rows:
            row = {"E_int": v["E_int"]}
            mutual = lib.zero
            for n in ("A", "B"):
                spec = _spectrum(lib, v, n, diagonal[n], tiny)
                lo, hi = spec
                if f"dS_{n}" not in v:  # (balls: a constant spectrum adds an exact 0)
                    mutual += entropy_of_spectrum(lib, spec) - s0[n]
                beta = lib.inf if lo == 0 else lib.log(hi / lo) / w[n]
                row[n] = {"E": w[n] * v[f"pe_{n}"], "spectrum": spec, "beta": beta,
                          "Eth": w[n] * lo, "diagonal": diagonal[n]}
                for key in ("dE", "dEth", "dS"):
                    if f"{key}_{n}" in v:
                        row[n][key] = v[f"{key}_{n}"]
            row["I_AB"] = mutual
            out.append(row)
        return out

    def _finish(self, locals_, data0, data, t, lib, convention):
        row = super()._finish(locals_, data0, data, t, lib, convention)
        return finish_qubits(row, data0, data, self.subsystems, convention)

    # -- vectorised float64 ------------------------------------------------------
    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` in float64 for all times at once (numpy; the two
        qubits stacked as rows of (2, n) arrays, for finish_qubit_columns)."""
        def constants():
            names, polys, nu, diag_A, diag_B = self._compiled(p)
            coeffs = {n: [(i, j, float(sympy.N(c, 20))) for i, j, c in poly]
                      for n, poly in zip(names, polys)}
            w = np.array([[float(sympy.N(p["omega_A"], 20))], [float(sympy.N(p["omega_B"], 20))]])
            increments = [_increment_coefficients(poly) for poly in
                          (polys[names.index("pe_A")], polys[names.index("pe_B")])]
            return (coeffs, float(sympy.N(nu, 20)) / 2, w, {"A": diag_A, "B": diag_B},
                    increments)

        coeffs, half, w, diagonal, increments = self._params_cached("arrays", p, constants)
        C, S = np.cos(half * times), np.sin(half * times)
        powers = {}

        def power(x, name, k):
            if k == 0:
                return None
            if (name, k) not in powers:
                powers[(name, k)] = x if k == 1 else x ** k
            return powers[(name, k)]

        def value(name):
            total = None
            for i, j, c in coeffs[name]:
                term = c
                for x, xn, k in ((C, "C", i), (S, "S", j)):
                    pw = power(x, xn, k)
                    if pw is not None:
                        term = term * pw
                total = term if total is None else total + term
            if total is None:
                return np.zeros(times.shape)
            return column_of(total, len(times))

        # the rounding of each polynomial: 4 eps sum |terms|, and the rounding of the
        # phase x = nu t/2 (eps x) times a bound of |dP/dx|
        aC, aS = np.abs(C), np.abs(S)
        phase = _EPS * np.abs(half * times)

        def rounding(name):
            size = slope = 0.0
            for i, j, c in coeffs[name]:
                c = abs(c)
                size = size + c * aC ** i * aS ** j
                if i:
                    slope = slope + (c * i) * aC ** (i - 1) * aS ** (j + 1)
                if j:
                    slope = slope + (c * j) * aC ** (i + 1) * aS ** (j - 1)
            return 4 * _EPS * size + phase * slope

        tiny = FLOAT64.tolerance ** 2
        los, his, pes, errs, lo_errs = [], [], [], [], []
        for n in ("A", "B"):
            pe, pg = value(f"pe_{n}"), value(f"pg_{n}")
            pe_err = rounding(f"pe_{n}")
            if diagonal[n]:
                lo, hi = np.minimum(pe, pg), np.maximum(pe, pg)
                lo_err = np.where(pe <= pg, pe_err, rounding(f"pg_{n}"))
            else:
                z = pe - pg
                r = np.sqrt(z * z + 4 * np.abs(value(f"c2_{n}")))
                hi = (1 + r) / 2
                lo = value(f"det_{n}") / hi
                lo_err = rounding(f"det_{n}") / hi + 4 * _EPS * np.abs(lo)
            # lo at or below tiny counts as 0: an exact 0 is the structure's, a value in
            # (-inf, tiny] other than 0 is a 0 float64 cannot vouch for
            lo_errs.append(np.where(lo == 0, 0.0, np.where(lo <= tiny, np.inf, lo_err)))
            los.append(np.where(lo <= tiny, 0.0, lo))
            his.append(hi)
            pes.append(pe)
            errs.append(pe_err)
        lo, hi = np.stack(los), np.stack(his)
        Sq, beta = qubit_entropy_beta(lo, hi, w)
        beta = np.where(lo == 0, np.inf, beta)
        dS = Sq - Sq[:, :1]
        # P_e(t) - P_e(0) without cancellation: C - 1 = -S^2/(1 + C) where C > 0
        c_minus_1 = np.where(C > 0, -(S * S) / (1 + C), C - 1)
        d_pe = np.stack([_increment_value(inc, C, S, c_minus_1) for inc in increments])
        d_pe_err = np.stack([_increment_rounding(inc, aC, aS, np.abs(c_minus_1), phase)
                             for inc in increments])
        qubits = {"E": w * np.stack(pes), "Eth": w * lo, "S": Sq, "beta": beta, "dS": dS,
                  "lo": lo, "hi": hi, "dE": w * d_pe}
        lo_err = np.stack(lo_errs)
        rounding_of = {"E": w * np.stack(errs), "lo": lo_err, "Eth": w * lo_err,
                       "dE": w * d_pe_err, "E_int": rounding("E_int")}
        return {"E_int": value("E_int"), "I_AB": dS[0] + dS[1], "qubits": qubits,
                "_rounding": rounding_of}

    def _finish_columns(self, p, d, ts, convention):
        return finish_qubit_columns(self, d, ts, convention)


def _increment_parts(poly):
    """P(t) - P(0) of a polynomial P = sum c C^i S^j in C = cos x, S = sin x (``poly``:
    (i, j, c) with exact c), as exact coefficients (p0, p1, a) of
    p0(S) + p1(S) C + a (C - 1): C^2 reduced to 1 - S^2, so p0 and p1 have no constant
    term and nothing cancels at small x once C - 1 is computed as -S^2/(1 + C).  A P
    constant in time (p_e of |ee>) has no parts at all: its increment is an exact 0.

    >>> import sympy
    >>> from symthermo.models.exchange import _increment_parts
    >>> _increment_parts([(2, 0, sympy.Integer(1))])      # cos^2 x - 1 = -S^2
    ([(2, -1)], [], 0)
    >>> _increment_parts([(2, 0, sympy.Integer(1)), (0, 2, sympy.Integer(1))])
    ([], [], 0)
    """
    from .exchange import _C, _S  # lazy (PEP 562)
    expr = sum((c * _C**i * _S**j for i, j, c in poly), sympy.Integer(0))
    reduced = sympy.expand(sympy.rem(sympy.expand(expr), _C**2 + _S**2 - 1, _C))
    a1 = sympy.expand(reduced.coeff(_C, 1))
    a0 = sympy.expand(reduced - a1 * _C)
    parts = []
    for part in (a0, a1):
        terms = sympy.Poly(part, _S).terms() if part != 0 else []
        parts.append([(j, c) for (j,), c in terms if j > 0])
    return parts[0], parts[1], a1.subs(_S, 0)


def _increment_coefficients(poly):
    """:func:`_increment_parts` with float coefficients."""
    p0, p1, a = _increment_parts(poly)
    num = lambda c: float(sympy.N(c, 20))  # noqa: E731
    return [(j, num(c)) for j, c in p0], [(j, num(c)) for j, c in p1], num(a)


def _ball_increment(lib, parts, C, S):
    """The value of :func:`_increment_parts`' increment in balls at C = cos x, S = sin x
    (coefficients already balls): a sum of its terms only, so an increment with no
    terms is an exact 0 (structure, not the cancellation P(t) - P(0)), and C - 1 is
    -S^2/(1 + C) where C > 0 is proven."""
    from ..ball_conversion import ipow  # lazy: loads SymPy, flint
    p0, p1, a = parts
    total = lib.zero
    if not lib.is_exact_zero(a):
        total = a * (-ipow(S, 2) / (1 + C) if C > 0 else C - 1)
    for j, c in p0:
        total = total + c * ipow(S, j)
    for j, c in p1:
        total = total + c * C * ipow(S, j)
    return total


def _increment_value(increment, C, S, c_minus_1):
    """The value of :func:`_increment_coefficients`' increment at arrays C, S."""
    p0, p1, a = increment
    total = a * c_minus_1
    for j, c in p0:
        total = total + c * S**j
    for j, c in p1:
        total = total + c * C * S**j
    return total


def _increment_rounding(increment, aC, aS, a_c_minus_1, phase):
    """The rounding of :func:`_increment_value` (|C|, |S|, |C - 1| and eps x given): 4 eps
    of its terms and eps x times a bound of its derivative in x."""
    p0, p1, a = increment
    a = abs(a)
    size = a * a_c_minus_1
    slope = a * aS
    for j, c in p0:
        c = abs(c)
        size = size + c * aS**j
        slope = slope + (c * j) * aC * aS ** (j - 1)
    for j, c in p1:
        c = abs(c)
        size = size + c * aC * aS**j
        slope = slope + c * aS ** (j + 1) + (c * j) * aC * aC * aS ** (j - 1)
    return 4 * _EPS * size + phase * slope


def _spectrum(lib, v, n, diagonal, tiny):
    """Ascending eigenvalues of a qubit state from p_e, p_g, |c|^2 and det.

    An eigenvalue below tolerance^2 (float64: 1e-24; mpmath: 10^-2(dps)) is an
    exact 0: a state that is pure at a figure time (g t = pi/2) computed at a
    rounded time, whose beta would otherwise be a precision-dependent large number
    instead of inf."""
    pe, pg = v[f"pe_{n}"], v[f"pg_{n}"]
    if diagonal and hasattr(lib, "sort"):  # balls: the order statistics, proven
        lo, hi = lib.sort([pe, pg])
    elif diagonal:
        lo, hi = (pe, pg) if pe <= pg else (pg, pe)
    else:
        z = pe - pg
        r = lib.sqrt(z * z + 4 * abs(v[f"c2_{n}"]))
        hi = (1 + r) / 2
        lo = v[f"det_{n}"] / hi
    if lo <= tiny:
        lo = lib.zero
    return [lo, hi]


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    _SYMBOLS = {prm.name: prm.symbol for prm in _PARAMETERS if not prm.choices}
    _C, _S = sympy.symbols("C S", real=True)
    _NU = sympy.Symbol("nu", positive=True)
    return {'_C': _C, '_NU': _NU, '_S': _S, '_SYMBOLS': _SYMBOLS}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('_C', '_NU', '_S', '_SYMBOLS'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
