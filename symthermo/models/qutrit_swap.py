r"""Two qutrits whose coupling swaps them (EL23 Supplement Eqs. S12-S16).

H_j = omega_1 |1><1| + omega_2 |2><2| (level 0 at energy 0), basis |0>, |1>, |2>
(ascending energy for omega_1 < omega_2), joint basis |kl> = |k>_A |l>_B with A
first, and

    V = g sum_{k != l} |kl><lk| = g (S - P),   S = sum_{k,l} |kl><lk| (the swap, S^2 = 1),
                                              P = sum_k |kk><kk|.

B starts in the passive, non-thermal state p_k ∝ exp(-beta_k omega_k)
(beta_0 omega_0 = 0); A starts thermal at beta_B(0), the entropy-matched
inverse temperature of rho_B(0) (no closed form for three levels: solved
numerically, :func:`symthermo.beta_from_entropy.beta_for_entropy`).

Derivation (done by :func:`derive_reduced` in SymPy from H and V):

- H_A + H_B is diagonal and V only exchanges |kl> and |lk| (same energy
  omega_k + omega_l), so H splits into the 1x1 blocks |kk> and the 2x2 blocks
  {|kl>, |lk>} (k < l), each (omega_k + omega_l) 1 + g tau_x: frequency 2g,
  U_block = exp(-i(omega_k + omega_l) t) [cos(gt) 1 - i sin(gt) tau_x];
- the initial state is diagonal, so rho(t) has populations
  p_kl(t) = cos^2(gt) a_k b_l + sin^2(gt) a_l b_k and, inside each block,
  purely imaginary coherences; the reduced states are therefore diagonal,

      rho_A(t) = cos^2(gt) rho_A(0) + sin^2(gt) rho_B(0),
      rho_B(t) = cos^2(gt) rho_B(0) + sin^2(gt) rho_A(0),

  and E_int(t) = Tr[rho V] = 2g sum Re(coherences) = 0 at all times;
- at g t = pi/2, U = exp(-i(H_A + H_B)t) S D with D = diag(-i on |kl>, k != l;
  1 on |kk>): not the swap times a local unitary (D is an entangling phase
  gate), but D commutes with every diagonal state, so rho_AB(pi/(2g)) =
  rho_B(0) (x) rho_A(0) exactly for this initial state (S15's claim holds).

I_AB(t) = Delta S_A + Delta S_B (unitary evolution from a product state).
The extra key ``sigma_erg_A`` = Delta S_A + beta_B(0) (Delta E_B - Delta
ergotropy_B) is EL23's S12 (received convention).

>>> from symthermo.models.qutrit_swap import QutritSwap
>>> m = QutritSwap()
>>> forms = m.closed_forms(m.params())
>>> forms.interaction_energy
0
"""

from __future__ import annotations

import functools

import numpy as np

from ..lazy import lazy_import
from ..entropy import entropy_of_distribution
from ..entropy_increments import relative_entropy, thermal_step
from ..numbers import EXACT, FLOAT64, MPMATH
from ..beta_from_entropy import beta_for_entropy
from ..levels import levels_of
from ..thermal_arrays import beta_for_entropy_array, thermal_mean_array
from .base import ClosedForms, Dynamics, LocalForms, Model, Parameter
from .float64_columns import EARNED, _EPS, entropy_columns
from .local_rows import _to_lib
from .blocks import _kron, coupled_blocks, evolve_in_blocks

mpmath = lazy_import("mpmath")
sympy = lazy_import("sympy")

__all__ = ["QutritSwap", "derive_reduced", "coupling", "swap_operator", "BETA_B0"]

_PARAMETERS = (
    Parameter("omega_1", "1", "energy of level 1 (level 0 at 0)", latex=r"\omega_1"),
    Parameter("omega_2", "2.3", "energy of level 2", latex=r"\omega_2"),
    Parameter("beta_1", "0.5", "B's p_1/p_0 = exp(-beta_1 omega_1)", latex=r"\beta_1"),
    Parameter("beta_2", "1.5", "B's p_2/p_0 = exp(-beta_2 omega_2)", latex=r"\beta_2"),
    Parameter("g", "1", "swap coupling, V = g sum_{k != l} |kl><lk|", latex="g"),
)

#: BETA_B0 (made on first use, see _symbolic_constants): beta_B(0), the entropy-matched
#: inverse temperature of rho_B(0) (implicit)
_DERIVED = {}


def swap_operator():
    """S = sum_{k,l} |kl><lk| on C^3 (x) C^3."""
    S = sympy.zeros(9)
    for k in range(3):
        for m in range(3):
            S[3 * k + m, 3 * m + k] = 1
    return S


def coupling(g):
    """V = g sum_{k != l} |kl><lk| (EL23 S15), built from its definition."""
    V = sympy.zeros(9)
    for k in range(3):
        for m in range(3):
            if k != m:
                V[3 * k + m, 3 * m + k] = g
    return V


def local_hamiltonian(w1, w2):
    return sympy.diag(0, w1, w2)


def derive_reduced():
    """The reduced populations and E_int in SymPy, from H and V (cached).

    Returns ``rho_A``, ``rho_B`` (lists of the diagonal entries, as
    cos^2(gt) a_k + sin^2(gt) b_k and the converse, with a_k, b_k the initial
    populations of A and B as symbols ``a_k``, ``b_k``), ``E_int`` (0),
    ``coherences`` (the reduced states' off-diagonal entries, all 0),
    ``blocks`` and ``frequencies``, and ``V_is_S_minus_P`` (True).
    """
    from .base import T  # lazy (PEP 562)
    from .qutrit_swap import _SYMBOLS  # lazy (PEP 562)
    if _DERIVED:
        return _DERIVED
    w1, w2, g = _SYMBOLS["omega_1"], _SYMBOLS["omega_2"], _SYMBOLS["g"]
    h = local_hamiltonian(w1, w2)
    I3 = sympy.eye(3)
    V = coupling(g)
    H = _kron(h, I3) + _kron(I3, h) + V
    P = sympy.diag(*[1 if k == m else 0 for k in range(3) for m in range(3)])
    a = sympy.symbols("a_0:3", positive=True)
    b = sympy.symbols("b_0:3", positive=True)
    rho0 = _kron(sympy.diag(*a), sympy.diag(*b))
    rho_t, freqs = evolve_in_blocks(H, rho0)
    c, s = sympy.cos(g * T), sympy.sin(g * T)
    to_time = {}
    for nu, nu2, C, S in freqs:
        if sympy.expand(nu2 - 4 * g ** 2) != 0:  # pragma: no cover - fixed Hamiltonian
            raise AssertionError(f"block frequency^2 {nu2}, expected 4 g^2")
        to_time.update({nu: 2 * g, C: c, S: s})
    rho_t = rho_t.applyfunc(lambda e: e.subs(to_time))
    normalised = {a[0]: 1 - a[1] - a[2], b[0]: 1 - b[1] - b[2], s: sympy.sqrt(1 - c ** 2)}

    def same(x, y):
        return sympy.expand((x - y).subs(normalised)) == 0

    red_A = [sum((rho_t[3 * k + m, 3 * k + m] for m in range(3)), sympy.Integer(0)) for k in range(3)]
    red_B = [sum((rho_t[3 * m + k, 3 * m + k] for m in range(3)), sympy.Integer(0)) for k in range(3)]
    compact_A = [c ** 2 * a[k] + s ** 2 * b[k] for k in range(3)]
    compact_B = [c ** 2 * b[k] + s ** 2 * a[k] for k in range(3)]
    if not all(same(x, y) for x, y in zip(red_A + red_B, compact_A + compact_B)):
        raise AssertionError("reduced populations differ from the compact form")  # pragma: no cover
    coherences = []
    for k in range(3):
        for k2 in range(3):
            if k != k2:
                coherences.append(sympy.expand(sum(rho_t[3 * k + m, 3 * k2 + m] for m in range(3))))
                coherences.append(sympy.expand(sum(rho_t[3 * m + k, 3 * m + k2] for m in range(3))))
    _DERIVED.update({
        "rho_A": compact_A, "rho_B": compact_B,
        "E_int": sympy.simplify((rho_t * V).trace()),
        "coherences": coherences,
        "blocks": coupled_blocks(H),
        "frequencies": [nu2 for _, nu2, _, _ in freqs],
        "V_is_S_minus_P": (V - g * (swap_operator() - P)).is_zero_matrix,
        "populations": (a, b),
        "rho_t": rho_t,
    })
    return _DERIVED


def _entropy_expr(ps):
    return -sum((x * sympy.log(x) for x in ps), sympy.Integer(0))


class QutritSwap(Model):
    name = "qutrit-swap"
    source = "EL23 Supplement Eqs. S12-S16"
    description = ("two qutrits H_j = omega_1 P_1 + omega_2 P_2 swapped by V = g sum_{k!=l} |kl><lk|; "
                   "B passive non-thermal, A thermal at beta_B(0): sigma_erg_A < 0 at g t = pi/2")
    parameters = _PARAMETERS
    extra_keys = {
        "sigma_erg_A": "Delta S_A + beta_B(0) (Delta E_B - Delta ergotropy_B) (EL23 S12, received "
                       "convention): negative at the swap, where sigma_A = 0",
    }
    unitary = True
    paper_times = ("pi/(4*g)", "pi/(2*g)")

    def __init__(self):
        self._cache = {}

    def check_parameters(self, p):
        v = p["g"]
        if isinstance(v, sympy.Basic) and v.is_number and v == 0:
            raise ValueError(f"g must be > 0, got {v}")
        w1, w2 = p["omega_1"], p["omega_2"]
        for name, w in (("omega_1", w1), ("omega_2", w2)):
            if isinstance(w, sympy.Basic) and w.is_number and w == 0:
                raise ValueError(f"{name} must be > 0 (level 0 is the ground level), got {w}")

    # -- closed forms -------------------------------------------------------
    def _populations_B(self, p):
        w = [sympy.Integer(0), p["omega_1"], p["omega_2"]]
        weights = [sympy.Integer(1), sympy.exp(-p["beta_1"] * p["omega_1"]),
                   sympy.exp(-p["beta_2"] * p["omega_2"])]
        z = sum(weights, sympy.Integer(0))
        return w, [x / z for x in weights]

    def closed_forms(self, p) -> ClosedForms:
        from .base import T  # lazy (PEP 562)
        from .qutrit_swap import BETA_B0, _SYMBOLS  # lazy (PEP 562)
        key = ("forms",) + tuple(sorted((k, sympy.srepr(v)) for k, v in p.items()))
        if key in self._cache:
            return self._cache[key]
        d = derive_reduced()
        energies, pb = self._populations_B(p)
        boltz = [sympy.exp(-BETA_B0 * e) for e in energies]
        za = sum(boltz, sympy.Integer(0))
        pa = [x / za for x in boltz]
        a, b = d["populations"]
        fill = {**dict(zip(a, pa)), **dict(zip(b, pb)), _SYMBOLS["g"]: p["g"]}
        rho_A = [x.subs(fill) for x in d["rho_A"]]
        rho_B = [x.subs(fill) for x in d["rho_B"]]
        h = local_hamiltonian(p["omega_1"], p["omega_2"])
        E_A = sum((e * x for e, x in zip(energies, rho_A)), sympy.Integer(0))
        E_B = sum((e * x for e, x in zip(energies, rho_B)), sympy.Integer(0))
        S_A, S_B = _entropy_expr(rho_A), _entropy_expr(rho_B)
        mutual = S_A - S_A.subs(T, 0) + S_B - S_B.subs(T, 0)
        # B's populations stay in decreasing order when both initial states are
        # passive (the paper's case), so B stays passive: ergotropy_B(t) = 0
        sigma_erg = S_A - S_A.subs(T, 0) + BETA_B0 * (E_B - E_B.subs(T, 0))
        forms = ClosedForms(
            subsystems={
                "A": LocalForms(hamiltonian=h, energy=E_A, spectrum=list(reversed(rho_A))),
                "B": LocalForms(hamiltonian=h, energy=E_B, spectrum=list(reversed(rho_B))),
            },
            interaction_energy=d["E_int"],
            mutual_information=mutual,
            extras={"sigma_erg_A": sigma_erg},
            notes={
                "beta_B0": ("beta_B(0): S[w(beta_B0)] = S[rho_B(0)] (three levels: no closed "
                            "form, solved numerically); A starts in w(beta_B0)"),
                "basis": "|0>, |1>, |2> per qutrit, joint |kl> with A first",
                "V": "V = g (S - P): S the swap, P = sum_k |kk><kk|",
                "blocks": "|kk> alone; {|kl>, |lk>} (k < l) rotate at frequency 2g",
                "reduced": "rho_A(t) = cos^2(gt) rho_A(0) + sin^2(gt) rho_B(0), and A <-> B; "
                           "E_int(t) = 0 (the block coherences are imaginary)",
                "swap": ("at g t = pi/2, U = exp(-i(H_A+H_B)t) S D, D = diag(-i on k != l, 1 on kk) "
                         "an entangling phase; D commutes with diagonal states, so "
                         "rho_AB(pi/2g) = rho_B(0) (x) rho_A(0) exactly"),
                "spectrum": "listed for passive populations (beta_1 omega_1 <= beta_2 omega_2, "
                            "omega_1 <= omega_2); evaluation sorts numerically",
                "sigma_erg_A": "with ergotropy_B(t) = 0 (B stays passive in the paper's case); "
                               "evaluation computes the ergotropy",
            })
        self._cache[key] = forms
        return forms

    def _beta_star(self, p, lib):
        """beta_B(0) in lib, from S[rho_B(0)]."""
        energies, pb = self._populations_B(p)
        levels = levels_of(_numeric_matrix(local_hamiltonian(p["omega_1"], p["omega_2"]), lib), lib)
        if lib is EXACT:
            raise ValueError("beta_B(0) has no closed form for three levels; evaluate with dps=N")
        # unary + rounds to the working precision (_to_lib carries extra digits)
        probs = [+_to_lib(lib, x) for x in pb]
        beta = beta_for_entropy(lib, levels, entropy_of_distribution(lib, probs))
        if lib not in (FLOAT64, MPMATH) and not beta.is_finite():
            beta = _beta_with_more_bits(lib, levels, pb)
        return beta, levels, probs

    def dynamics(self, p, *, lib) -> Dynamics:
        beta, levels, pb = self._beta_star(p, lib)
        h = local_hamiltonian(p["omega_1"], p["omega_2"])
        hl = _numeric_matrix(h, lib)
        w = [lib.exp(-beta * lib.real(hl[k, k])) for k in range(3)]
        z = sum(w[1:], w[0])
        rho_A0 = lib.diag([x / z for x in w])
        rho_B0 = lib.diag(pb)
        I3 = sympy.eye(3)
        H = _kron(h, I3) + _kron(I3, h) + coupling(p["g"])
        return Dynamics(dims=[3, 3], hamiltonian=H, coupling=coupling(p["g"]),
                        initial_state=lib.kron(rho_A0, rho_B0),
                        local_hamiltonians={"A": h, "B": h}, product_initial=True)

    # -- evaluation -----------------------------------------------------------
    def exact_phases(self, p, t):
        """cos^2(g t) at the exact time t (SymPy), for :mod:`symthermo.exact_times`:
        proven 0 (a full swap, g t = pi/2 mod pi) or 1 (g t = 0 mod pi) it gives the
        structure of :meth:`evaluate`."""
        return {"cos2": sympy.cos(p["g"] * t) ** 2}

    def evaluate(self, p, times, *, lib, convention="received", proven=None):
        """The base's rows; in balls, at an exact time where cos^2(g t) is proven 0 or 1
        (``proven[i]["_phases"]``), the structure's exact zeros.

        At cos^2(g t) = 1 the reduced states are the initial ones: the row is the t = 0
        row (increments exact zeros).  At cos^2(g t) = 0 they are exchanged, rho_A(t) =
        rho_B(0) and rho_B(t) = rho_A(0), and since A starts in the thermal state of
        B's entropy, S_A(0) = S_B(0), beta_A(0) = beta_B(0) and E^th_A(0) = E^th_B(0) =
        E_A(0): every entropy, beta and E^th is unchanged, so Q_A = Q_B = I_AB = sigma_A
        = sigma_B = 0 exactly (not a cancellation of balls); E, ergotropy and exergy are
        exchanged (exergy_B(t) = exergy_A(0) = 0: B is now thermal), W_X = +/- Delta E_X.
        """
        rows = super().evaluate(p, times, lib=lib, convention=convention, proven=proven)
        if lib is FLOAT64 and isinstance(rows, list):  # the per-row route: as the columns
            self._patch_rows(p, rows, convention)
        if proven is None or lib in (FLOAT64, MPMATH, EXACT):
            return rows
        out, row0 = [], None
        for row, found in zip(rows, proven):
            c2 = ((found or {}).get("_phases") or {}).get("cos2")
            if c2 in (0, 1):
                if row0 is None:
                    row0 = super().evaluate(p, [lib.zero], lib=lib, convention=convention)[0]
                row = _swapped_row(row, row0, lib, convention) if c2 == 0 else \
                    dict(row0, t=row["t"])
            out.append(row)
        return out

    def _patch_rows(self, p, rows, convention):
        """The per-row float64 rows with the increments of :func:`_small_increments` where
        the states have moved little (the columns' numbers, see :meth:`_finish_columns`)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            constants = self._float64_constants(p)
        beta, _, pa, pb, energies, order, g, delta, b = constants
        ts = np.array([float(r["t"]) for r in rows])
        s = 1.0 if convention == "received" else -1.0
        s2, c2 = np.sin(g * ts) ** 2, np.cos(g * ts) ** 2
        patches = (_small_increments(s2, c2, pa, pb, delta, energies, order, beta, b) or [])
        patches += _sigma_erg_from_divergence(s2, pa, pb, delta, energies, order, beta)
        for index, values in patches:
            for key, v in values.items():
                for i, x in zip(index.tolist(), v.tolist()):
                    rows[i][key] = s * x if key[:2] in ("Q_", "W_") else x

    def _initial(self, p, lib):
        """beta_B(0), its levels, p_A(0) = w(beta_B(0)), p_B(0), the energies and their
        ascending order, in ``lib``."""
        beta, levels, pb = self._beta_star(p, lib)
        h = _numeric_matrix(local_hamiltonian(p["omega_1"], p["omega_2"]), lib)
        energies = [lib.real(h[k, k]) for k in range(3)]
        w = [lib.exp(-beta * e) for e in energies]
        z = sum(w[1:], w[0])
        pa = [x / z for x in w]
        order = sorted(range(3), key=lambda k: energies[k])
        return beta, levels, pa, pb, energies, order

    def _float64_constants(self, p):
        """beta_B(0), its levels, p_A(0), p_B(0), the energies, their ascending order, g,
        p_B(0) - p_A(0) and B's b_k = beta_k omega_k (float64); beta_B(0), p_A(0) and
        p_B(0) - p_A(0) rounded once from mpmath (:func:`_initial_differences`)."""
        def make():
            lib = FLOAT64
            _, levels, _, pb, energies, order = self._initial(p, lib)
            # beta_B(0) and A's populations, and B's minus A's, rounded once from
            # mpmath: the increments -/+ sin^2(gt) (p_B - p_A) keep their digits when p_A
            # and p_B are close, and beta solved from S_B(0) in float64 keeps only
            # eps S / (beta^2 Var) of its own next to the maximally mixed state (7 digits
            # at beta_B(0) = 5e-5)
            beta, pa, delta = _initial_differences(self, p)
            # ln p_B(0)_k = -b_k - ln Z_B, b = (0, beta_1 omega_1, beta_2 omega_2)
            b = [0.0] + [float(sympy.N(p[f"beta_{k}"] * p[f"omega_{k}"], 20)) for k in (1, 2)]
            return (beta, levels, pa, pb, energies, order, +_to_lib(lib, p["g"]), delta, b)

        return self._params_cached("arrays", p, make)

    def reduced_data(self, p, times, *, lib):
        if lib is EXACT:
            return super().reduced_data(p, times, lib=lib)
        beta, levels, pa, pb, energies, order = self._initial(p, lib)
        g = +_to_lib(lib, p["g"])
        a_spec = sorted(pa)
        s_a0, s_b0 = entropy_of_distribution(lib, a_spec), entropy_of_distribution(lib, sorted(pb))
        if lib is FLOAT64:
            ts = np.asarray([float(t) for t in times])
            c2s, s2s = np.cos(g * ts) ** 2, np.sin(g * ts) ** 2
            pairs = [(float(c2), float(s2)) for c2, s2 in zip(c2s, s2s)]
        elif lib is MPMATH:
            pairs = [(mpmath.cos(g * t) ** 2, mpmath.sin(g * t) ** 2) for t in times]
        else:  # balls (symthermo.balls)
            pairs = [(abs(lib.cos(g * t)) * abs(lib.cos(g * t)),
                      abs(lib.sin(g * t)) * abs(lib.sin(g * t))) for t in times]
        out = []
        for t, (c2, s2) in zip(times, pairs):
            rA = [c2 * x + s2 * y for x, y in zip(pa, pb)]
            rB = [c2 * y + s2 * x for x, y in zip(pa, pb)]
            row = {"E_int": lib.zero}
            mutual = lib.zero
            for n, pops, s0 in (("A", rA, s_a0), ("B", rB, s_b0)):
                spec = sorted(pops)
                entropy = entropy_of_distribution(lib, spec)
                mutual += entropy - s0
                row[n] = {"E": _energy(lib, pops, energies, order), "spectrum": spec,
                          # level order: the ball route proves passivity from it
                          "populations": [pops[k] for k in order],
                          # balls: S (and beta from it) of populations that sum to 1
                          "entropy_of": (tuple(spec), entropy)}
            if t == 0:
                # A is w(beta_B(0)) exactly: give its beta and E^th, not a re-solved beta
                row["A"]["beta"] = beta
                row["A"]["Eth"] = row["A"]["E"]
            row["I_AB"] = mutual
            out.append(row)
        return out

    def reduced_arrays(self, p, times):
        """:meth:`reduced_data` in float64 for all times at once (numpy); beta_A(t) is
        solved here (beta_B(0) itself at t = 0, where A is w(beta_B(0)) exactly)."""
        beta, levels, pa, pb, energies, order, g, delta, b = self._float64_constants(p)
        s2 = np.sin(g * times) ** 2
        c2 = np.cos(g * times) ** 2
        out = {"E_int": np.zeros(times.shape)}
        entropies = {}
        populations = {}
        for n, ours, theirs in (("A", pa, pb), ("B", pb, pa)):
            pops = populations[n] = [c2 * x + s2 * y for x, y in zip(ours, theirs)]
            spectrum = list(np.sort(np.stack(pops), axis=0))
            E = 0.0
            for k in order:
                E = E + pops[k] * energies[k]
            S = entropy_columns(spectrum)
            entropies[n] = S
            out[n] = {"E": E, "spectrum": spectrum, "ascending": True, "S": S}
        start = times == 0
        for n in ("A", "B"):
            # beta_A(0) = beta_B(0) by definition (not re-solved from the entropies)
            beta_n = beta_for_entropy_array(levels, entropies[n])
            beta_n[start] = beta
            out[n]["beta"] = beta_n
        # A is w(beta_B(0)) exactly at t = 0: its E^th is its E (B's E^th is left to the
        # base, whose exergy then comes from the relative entropy, without cancellation)
        eth_a = levels.ground + thermal_mean_array(levels, out["A"]["beta"])
        eth_a[start] = out["A"]["E"][start]
        out["A"]["Eth"] = eth_a
        out["_rounding"] = _difference_rounding(times, g, s2, c2, delta, energies, beta, levels,
                                                out, populations)
        out["I_AB"] = (entropies["A"] - entropies["A"][0]) + (entropies["B"] - entropies["B"][0])
        out["_small"] = _small_increments(s2, c2, pa, pb, delta, energies, order, beta, b)
        out["_sigma_erg"] = _sigma_erg_from_divergence(s2, pa, pb, delta, energies, order, beta)
        out["unearned"] = _unearned(g, times, s2, c2)
        tiny = np.finfo(float).tiny
        if any(delta) and not all(x >= tiny for x in list(pa) + list(pb)):
            # a population below float64's normal range (B's level 2 at beta_2 omega_2 =
            # 1029 is 0, at 725 a subnormal of 9 digits) moving to ~1e-4: the increments'
            # relative entropies need its logarithm (Q_A = 1.1e-20 was printed as 0)
            out["unearned"] = out["unearned"] | (times != 0)
        if any(sorted(ours)[-2] < tiny for ours in (pa, pb)):
            # every population but the largest below float64's normal range (B at
            # beta_1 omega_1 = 1681, beta_2 omega_2 = 2088; A at beta_B(0) = 313 with
            # it): the state is pure to float64, which printed E = S = 0 and beta = inf
            # for E = 5.8e-730 and beta = 313, at t = 0 too
            out["unearned"] = np.ones(len(times), dtype=bool)
        out["_weights"] = (s2, c2, _increment_scales(delta, energies, beta))
        return out

    def _finish_columns(self, p, d, ts, convention):
        """The base's columns, and where the populations have moved little
        (:func:`_small_increments`) the increments from the increments."""
        cols = super()._finish_columns(p, d, ts, convention)
        # B's exergy at t = 0 is E_B(0) - E^th_B(0) = E_B(0) - E_A(0) (A is w(beta_B(0))):
        # sum_k (p_B(0) - p_A(0))_k E_k, without cancellation (the relative entropy with
        # beta_B(0) rounded from 30 digits kept 7.7 of its digits at beta_B(0) = 5e-5)
        constants = self._float64_constants(p)
        delta, energies = constants[7], constants[4]
        exergy_b = np.array(cols["exergy_B"], dtype=float)
        exergy_b[ts == 0] = sum(x * float(e) for x, e in zip(delta, energies))
        cols["exergy_B"] = exergy_b
        # at t = 0 the exergies are E - E^th as they stand: where that difference is below
        # 1e-6 of E - E_g (a state within 1e-6 of thermal), float64 cannot vouch for 10 of
        # its digits (B from beta = 15 next to beta_A(0) = 20: 2.5 digits): certified there
        ground = self._float64_constants(p)[1].ground
        for n in self.subsystems:
            exergy, above = cols[f"exergy_{n}"][0], abs(cols[f"E_{n}"][0] - ground)
            if 0 < abs(exergy) < 1e-6 * above:
                d["unearned"] = d["unearned"] | (ts == 0)
        s = 1.0 if convention == "received" else -1.0
        small = np.zeros(len(ts), dtype=bool)
        given = {}  # per key, the times at which it came from the increments
        patches = list(d.get("_small") or ())
        if "sigma_erg_A" in cols:
            patches += d.get("_sigma_erg") or []
        for index, values in patches:
            if "Q_A" in values:
                small[index] = True
            for key, v in values.items():
                column = np.array(cols[key], dtype=float)
                column[index] = s * v if key[:2] in ("Q_", "W_") else v
                cols[key] = column
                given.setdefault(key, np.zeros(len(ts), dtype=bool))[index] = True
        d["unearned"] = d["unearned"] | _increments_unearned(ts, cols, small, *d["_weights"])
        d["unearned"] = d["unearned"] | _differences_unearned(ts, cols, given, d["_rounding"])
        if any(delta):
            # the states move at every t > 0 (p_B(0) != p_A(0)): an exact 0 of an increment
            # or an exergy is no structure but rounding (only B's exergy at a full swap,
            # where the rows are the certified route's, :func:`_unearned`)
            for key in ("Q_A", "Q_B", "W_A", "W_B", "I_AB", "sigma_A", "sigma_B",
                        "exergy_A", "exergy_B"):
                d["unearned"] = d["unearned"] | ((np.asarray(cols[key]) == 0) & (ts != 0))
        return cols

    def extra_columns(self, key, cols, q, ts):
        if key == "sigma_erg_A":
            A, B = q["A"], q["B"]
            d_erg = B["ergotropy"] - B["ergotropy"][0]
            d_e = B["E"] - B["E"][0]
            return (A["S"] - A["S"][0]) + B["beta"][0] * (d_e - d_erg)
        return super().extra_columns(key, cols, q, ts)

    def extra_from_finished(self, key, row, q0, qt, lib):
        if key == "sigma_erg_A":
            return _sigma_erg(lib, q0, qt)
        return super().extra_from_finished(key, row, q0, qt, lib)

    def extras_from_row(self, p, row, *, lib):
        internal = row["_internal"]
        return {"sigma_erg_A": _sigma_erg(lib, internal["q0"], internal["qt"])}


#: relative population change max_k |dp_k| / p_k up to which the increments are computed
#: from the increments; above it the differences of the values keep 11 digits and more
#: (W_A, of order (dp/p)^2, is then above ~1e-5 of the energies)
SMALL_CHANGE = 0.01
#: entropy increments (estimated to first order) below which the increments are
#: computed from the increments whatever the relative change
SMALL_ENTROPY = 1e-3


def _initial_differences(model, p):
    """beta_B(0), p_A(0) = w(beta_B(0)) and p_B(0) - p_A(0) as floats, from mpmath at 30
    digits and twice that until two precisions agree to 1e-17 (relative, each entry):
    p_B(0) - p_A(0) may lie far below the populations (levels 0 and 1 of B thermal at
    beta_1 = beta_B(0) up to 1e-81 from level 2: the difference at 30 digits was rounding,
    and the increments built on it printed 1e-51 for 1e-92)."""
    def at(dps):
        with mpmath.workdps(dps):
            beta_mp, _, pb_mp = model._beta_star(p, MPMATH)
            w_mp = [mpmath.exp(-beta_mp * _to_lib(MPMATH, e))
                    for e in (0, p["omega_1"], p["omega_2"])]
            z = sum(w_mp)
            # a difference within the populations' rounding is not resolved at dps
            noise = [mpmath.mpf(10) ** (8 - dps) * max(abs(x / z), abs(y))
                     for x, y in zip(w_mp, pb_mp)]
            return ([float(beta_mp)] + [float(x / z) for x in w_mp],
                    [y - x / z for x, y in zip(w_mp, pb_mp)], noise)

    if p["beta_1"] == p["beta_2"]:
        # B is the Gibbs state of beta_1 = beta_B(0): p_A(0) = p_B(0) by structure
        values, _, _ = at(30)
        return values[0], values[1:], [0.0, 0.0, 0.0]
    dps = 30
    values, delta, noise = at(dps)
    while dps < MAX_DIFFERENCE_DPS:
        dps *= 2
        more_values, more, more_noise = at(dps)
        # (two zeros agree, and held p_B(0) - p_A(0) = 0 where it is 7e-192 next to a
        # population 1e-88 that beta_B(0), at 150 to 103 digits, moves: Q_A, Q_B, W_A,
        # W_B of 1e-209 were printed with no correct digit)
        settled = all(abs(x - y) <= 1e-17 * abs(y) and abs(x) > n
                      for x, y, n in zip(delta, more, noise))
        values, delta, noise = more_values, more, more_noise
        if settled:
            break
    return values[0], values[1:], [float(x) for x in delta]


#: the working precision (digits) at which :func:`_initial_differences` stops doubling
MAX_DIFFERENCE_DPS = 1000


def _small_increments(s2, c2, pa, pb, delta, energies, order, beta, b):
    """(index, values) of keys at the times where the reduced states are within
    SMALL_CHANGE (relative) of the initial ones or of the swapped ones, computed from
    the population increments without cancellation (:mod:`symthermo.entropy_increments`),
    or None.  delta = p_B(0) - p_A(0); rho_A(0) = w(beta), beta = beta_B(0).

    Near the start (dp_A = sin^2(g t) delta = -dp_B):

    - dS_A, dS_B from dp; I_AB = dS_A + dS_B (S_AB is constant);
    - E^th_X(t) - E^th_X(0) on the thermal curve through w(beta), which both start
      on (E^th_B(0) = E^th_A(0): equal entropies, equal Hamiltonians), the entropy
      moving by dS_X: Q_B; sigma_A = dS_A + beta Q_B, sigma_B = dS_B + beta Q_A;
    - W_A = exergy_A(t) (A starts thermal) = D[rho_A(t) || w(beta_A(t))] / beta_A(t)
      for a passive rho_A (SL26 Eq. 10), of order dp^2: from the differences
      dp_A - dq_A; Q_A = dE_A - W_A, W_B = dE_B - Q_B (dE_B = -dE_A);
    - (sigma_erg_A at every time: :func:`_sigma_erg_from_divergence`).

    Near the swap (rho_A = p_B - cos^2(g t) delta, rho_B = p_A + cos^2(g t) delta):
    the entropy increments from there (S(p_B) = S(p_A) by the definition of beta),
    Q_A, Q_B, I_AB and sigma as above, W_X = dE_X - Q_X, and exergy_B =
    D[rho_B(t) || w(beta_B(t))] / beta_B(t) (B now nearly thermal, of order dp^2).
    """

    if not beta > 0 or not any(delta):
        return None
    pa = np.array(pa)[order][:, None]
    b = np.array(b)[order][:, None]
    delta = np.array(delta)[order][:, None]
    # p_B(0) as computed, not p_A(0) + delta: a population of B far below A's (B nearly
    # a qubit, beta_2 omega_2 = 135: p_B2 = 1e-59 next to p_A2 = 7e-4) is lost in that sum
    pb = np.array(pb)[order][:, None]
    e = (np.array(energies)[order] - energies[order[0]])[:, None]
    swapped = s2 > 0.5
    weight = np.where(swapped, c2, s2)
    change = weight * np.where(swapped, np.max(np.abs(delta) / pb), np.max(np.abs(delta) / pa))
    # or where the entropies move by less than SMALL_ENTROPY (first order: weight times
    # |delta . beta e| + |delta . b|): their differences keep only eps / dS of their
    # digits however large the relative change of a tiny population (a nearly pure B)
    moved = weight * (abs(float((delta * e).sum())) * beta + abs(float((delta * b).sum())))
    near = ((change <= SMALL_CHANGE) | (moved < SMALL_ENTROPY)) & (weight > 0)
    if not near.any():
        return None
    index = np.flatnonzero(near)
    weight, swapped = weight[index], swapped[index]
    dp = delta * weight  # rho_A - p_A near the start, rho_B - p_A near the swap
    # the state that is near w(beta): A at the start, B at the swap (p_A + dp) must be
    # passive; then so is its thermal neighbour, and its exergy is D / beta
    near_thermal = pa + dp
    keep = np.all(near_thermal[:-1] >= near_thermal[1:], axis=0)
    index, weight, swapped, dp = index[keep], weight[keep], swapped[keep], dp[:, keep]
    if not len(index):
        return None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        # the entropy increments of A and B from where they are near
        # (ln p_A = -beta e - ln Z_A, ln p_B = -b - ln Z_B, b_k = beta_k omega_k)
        # (S(p_A + dp) - S(p_A) is B's at the swap, A's at the start; likewise p_B - dp)
        # (entropy_increment's form; the two relative entropies in one call:
        # D[p_A + dp || p_A] and D[p_B - dp || p_B])
        m = len(index)
        far = pb - dp
        d_a, d_b = np.split(relative_entropy(
            np.concatenate([pa + dp, far], axis=1),
            np.concatenate([np.broadcast_to(pa, dp.shape), np.broadcast_to(pb, dp.shape)],
                           axis=1),
            np.concatenate([dp, -dp], axis=1)), 2)
        from_a = (dp * e).sum(axis=0) * beta - d_a
        from_b = (-dp * b).sum(axis=0) - d_b
        dS_a = np.where(swapped, from_b, from_a)
        dS_b = np.where(swapped, from_a, from_b)
        dbeta, dq = thermal_step(e, pa, beta, np.concatenate([dS_a, dS_b]))
        solved = np.isfinite(dbeta[:m]) & np.isfinite(dbeta[m:])
        if not solved.all():  # Newton did not settle: those times keep the differences
            index, weight, swapped, dp = (index[solved], weight[solved], swapped[solved],
                                          dp[:, solved])
            dS_a, dS_b = dS_a[solved], dS_b[solved]
            keep2 = np.concatenate([solved, solved])
            dbeta, dq = dbeta[keep2], dq[:, keep2]
            far = far[:, solved]
            m = len(index)
            if not m:
                return None
        dq_a, dq_b = dq[:, :m], dq[:, m:]
        Q_a, Q_b = (dq_a * e).sum(axis=0), (dq_b * e).sum(axis=0)
        # E_A(t) - E_A(0) = sin^2(g t) delta . e
        dE_a = np.where(swapped, (delta * e).sum() - (dp * e).sum(axis=0), (dp * e).sum(axis=0))
        # the exergy of the state near w(beta) (A at the start, B at the swap) and of
        # the other one (B at the start, A at the swap: p_B - dp) where it is passive, as
        # D / beta from their differences to their thermal neighbours p_A + dq (a nearly
        # pure B has E and E^th ~ 1e-5 and an exergy ~ 1e-9, which their difference loses)
        dq_near = np.where(swapped, dq_b, dq_a)
        dq_far = np.where(swapped, dq_a, dq_b)
        near_exergy, far_exergy = np.split(relative_entropy(
            np.concatenate([pa + dp, far], axis=1),
            pa + np.concatenate([dq_near, dq_far], axis=1),
            np.concatenate([dp - dq_near, delta - dp - dq_far], axis=1)), 2)
        near_exergy = near_exergy / (beta + np.where(swapped, dbeta[m:], dbeta[:m]))
        far_exergy = far_exergy / (beta + np.where(swapped, dbeta[:m], dbeta[m:]))
        Q_a = np.where(swapped, Q_a, dE_a - near_exergy)
        far_passive = np.all(far[:-1] >= far[1:], axis=0)
    values = {"Q_A": Q_a, "W_A": dE_a - Q_a, "Q_B": Q_b, "W_B": -dE_a - Q_b,
              "I_AB": dS_a + dS_b, "sigma_A": dS_a + beta * Q_b, "sigma_B": dS_b + beta * Q_a,
              # beta_X(t) from its increment (beta solved from S keeps eps S / (beta^2
              # Var) of its digits: 9.5 at beta = 1.4e-3)
              "beta_A": beta + dbeta[:m], "beta_B": beta + dbeta[m:]}
    out = [(index, values)]
    start = ~swapped
    out.append((index[start], {"exergy_A": near_exergy[start], "W_A": near_exergy[start]}))
    out.append((index[swapped], {"exergy_B": near_exergy[swapped]}))
    out.append((index[start & far_passive], {"exergy_B": far_exergy[start & far_passive]}))
    out.append((index[swapped & far_passive], {"exergy_A": far_exergy[swapped & far_passive]}))
    return out


def _sigma_erg_from_divergence(s2, pa, pb, delta, energies, order, beta):
    """[(index, {"sigma_erg_A": values})] at the times t > 0 where B keeps its initial
    order of populations or is passive (else []): A starts in w(beta), beta = beta_B(0),
    and E_A + E_B is conserved (E_int = 0), so

        sigma_erg_A = Delta S_A - beta Delta E_A - beta Delta ergotropy_B
                    = -D[rho_A(t) || w(beta)] - beta Delta ergotropy_B,

    D from rho_A(t) - p_A(0) = sin^2(g t) delta without cancellation (the difference of
    entropies of order 1 kept eps / sigma_erg_A of its digits: 9.5 at 3e-7, B next to
    maximally mixed).  While B keeps its initial order perm (passive order of p_B(0)),
    Delta ergotropy_B = sum_j drho_B(perm_j) (e(perm_j) - e_j), drho_B = -sin^2(g t)
    delta; where B is passive, -ergotropy_B(0)."""
    pa = np.array(pa, dtype=float)[order][:, None]
    if not (np.isfinite(beta) and np.all(pa > 0)):
        return []
    pb = np.array(pb, dtype=float)[order][:, None]
    delta = np.array(delta, dtype=float)[order][:, None]
    e = (np.array(energies, dtype=float)[order] - energies[order[0]])[:, None]
    dp = delta * np.asarray(s2, dtype=float)[None, :]
    perm = np.argsort(-pb[:, 0], kind="stable")  # B's passive order at the start
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        divergence = relative_entropy(pa + dp, np.broadcast_to(pa, dp.shape), dp)
        rho_b = pb - dp
        same_order = np.all(rho_b[perm[:-1]] >= rho_b[perm[1:]], axis=0)
        passive = np.all(rho_b[:-1] >= rho_b[1:], axis=0)
        erg_b0 = float((pb[perm] * (e[perm] - e)).sum())
        d_erg_b = np.where(same_order, (-dp[perm] * (e[perm] - e)).sum(axis=0), -erg_b0)
        sigma_erg = -divergence - beta * d_erg_b
    index = np.flatnonzero((same_order | passive) & (np.asarray(s2) > 0)
                           & np.isfinite(sigma_erg))
    return [(index, {"sigma_erg_A": sigma_erg[index]})]


def _increment_scales(delta, energies, beta):
    """The rounding of the increments, EARNED x: where they come from the increments
    (near the start or the swap), 2 (1 + beta) eps sum_k |p_B(0) - p_A(0)|_k |E_k| (the
    rounding of dp . E and of beta dp . E, each term's and delta's own) times sin^2 or
    cos^2 (g t); elsewhere 4 (1 + beta) eps max_k |E_k| (differences of values of order
    the energies)."""
    k = EARNED * _EPS * (1 + abs(beta))
    return (2 * k * float(sum(abs(x) * abs(e) for x, e in zip(delta, energies))),
            4 * k * float(max(abs(e) for e in energies)))


def _increments_unearned(times, cols, small, s2, c2, scales):
    """The times at which Q_A, Q_B, W_B, I_AB or sigma_j is within EARNED times its
    rounding (:func:`_increment_scales`): second order in p_B(0) - p_A(0) where B starts
    next to w(beta_B(0)) (at 1e-8 of it float64 kept 8 of their digits). W_A = exergy_A(t)
    is D/beta, with its relative precision; an exact 0 is the structure's."""
    near, far = scales
    limit = np.where(small, near * np.where(s2 > 0.5, c2, s2), far)
    out = np.zeros(len(times), dtype=bool)
    for key in ("Q_A", "Q_B", "W_B", "I_AB", "sigma_A", "sigma_B"):
        v = np.asarray(cols[key], dtype=float)
        out |= (v != 0) & (np.abs(v) < limit)
    out[times == 0] = False
    return out


def _thermal_variance(levels, beta):
    """Var(H) of the thermal state at each beta (numpy), from the gaps above the ground."""
    gaps = np.array([float(x) for x in levels.gaps])[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.exp(-np.asarray(beta, dtype=float)[None, :] * gaps)
        q = w / w.sum(axis=0)
        mean = (q * gaps).sum(axis=0)
        return (q * (gaps - mean) ** 2).sum(axis=0)


def _difference_rounding(times, g, s2, c2, delta, energies, beta0, levels, out, pops):
    """The rounding of the float64 values computed from the populations as they stand
    (not from their increments), per time.

    The phase g t is rounded by ~2 eps g t (g's and t's rounding), which moves the
    populations by |sin 2gt| times that times p_B(0) - p_A(0) (``phase``): an energy
    by at most that times sum_k |delta_k E_k| (``"phase"``; ``"energy"``, an ergotropy,
    adds 4 (1 + beta) eps max|E|), and the entropy by that times |sum_k delta_k ln p_k|.
    A beta solved from the entropy S (which float64 holds to 4 eps S) moves by
    dS / (beta^2 Var) relative (dS/dbeta = -beta Var(H)) and E^th by dS / beta: per
    subsystem ``("beta", X)`` (both causes), ``("Eth", X)`` (the solving: next to the
    maximally mixed state, beta = 1.4e-3, 3e-10 and 7e-13) and ``("Eth phase", X)``
    (the phase's, which E^th follows, and a heat with it)."""
    phase = 2 * _EPS * g * np.abs(times) * 2 * np.sqrt(np.asarray(s2) * np.asarray(c2))
    delta = np.asarray(delta, dtype=float)[:, None]
    e = np.asarray([float(x) for x in energies])[:, None]
    rounding = {"phase": phase * float(np.abs(delta * e).sum())}
    rounding["energy"] = 4 * _EPS * (1 + abs(beta0)) * float(np.abs(e).max()) + rounding["phase"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for n in ("A", "B"):
            p = np.stack(pops[n])
            logs = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), 0.0)
            moved = phase * np.abs((delta * logs).sum(axis=0))
            solved = 4 * _EPS * np.abs(out[n]["S"])
            beta = np.asarray(out[n]["beta"], dtype=float)
            ok = np.isfinite(beta) & (beta > 0)
            var = _thermal_variance(levels, beta)
            rounding["beta", n] = np.where(ok, (solved + moved) / (beta * beta * var), 0.0)
            rounding["Eth", n] = np.where(ok, solved / beta, 0.0)
            rounding["Eth phase", n] = np.where(ok, moved / beta, 0.0)
            # the relative entropy D[rho || w(beta)] of populations that sum to 1 + nu
            # holds nu (its - p + w terms), the exergy D / beta nu / beta (B next to
            # thermal, exergy 2.2e-7 at nu = -1.1e-16: 9 digits)
            nu = np.abs(_sum_minus_one(p))
            rounding["normalization", n] = np.where(ok, 4 * nu / beta, 0.0)
    return rounding


def _sum_minus_one(p):
    """sum_k p_k - 1 over the first axis (numpy), the sum of the floats as it is (error-free
    two-sums, Knuth), not as float64 rounds it: the normalisation a relative entropy sees."""
    total, err = p[0], np.zeros(p.shape[1:])
    for x in p[1:]:
        s = total + x
        back = s - total
        err = err + ((total - (s - back)) + (x - back))
        total = s
    return (total - 1) + err


def _differences_unearned(times, cols, given, rounding):
    """The times t > 0 at which a value computed from the populations as they stand (not
    given by the increments: ``given[key]``) is within EARNED times its rounding
    (:func:`_difference_rounding`): beta_X; Q_X, W_X and exergy_A (E - E^th) through a
    beta solved from the entropy (Q_X also through the phase; W_X and exergy_A are of
    second order in the populations' move where they are small); exergy_B (a relative
    entropy) through the populations' sum; and ergotropy_X through the phase (next
    to a crossing of two of B's populations at g t = 5600: 8.6 digits).  (The rounding of
    Q_X and W_B as differences of energies: :func:`_increments_unearned`.)"""
    out = np.zeros(len(times), dtype=bool)
    none = np.zeros(len(times), dtype=bool)
    for n in ("A", "B"):
        solving = EARNED * rounding["beta", n] > 1
        out |= solving & ~given.get(f"beta_{n}", none)
        # (an exergy from the populations as they stand where beta is that ill-conditioned:
        # B next to maximally mixed and not passive, 9.8 digits at 5.9e-6)
        out |= solving & ~given.get(f"exergy_{n}", none)
        solved = rounding["Eth", n]
        limits = {f"Q_{n}": solved + rounding["Eth phase", n], f"W_{n}": solved,
                  f"ergotropy_{n}": rounding["energy"]}
        # A's exergy is E - E^th; B's the relative entropy to w(beta_B(t)) over beta_B(t)
        limits[f"exergy_{n}"] = solved if n == "A" else rounding["normalization", n]
        for key, limit in limits.items():
            v = np.abs(np.asarray(cols[key], dtype=float))
            out |= (v != 0) & (v < EARNED * limit) & ~given.get(key, none)
    out[times == 0] = False
    return out


def _unearned(g, times, s2, c2):
    """The times whose float64 values the time itself does not determine to the
    contract's 10 digits: next to a full swap (cos(g t) ~ 0) or a return (sin(g t) ~ 0,
    g t >= 1) the increments go as cos^2 or sin^2, which the rounding of t (eps t / 2)
    moves by g t eps / |cos| relative; where that exceeds 1e-11 (at g t = pi/2: within
    3.5e-5 of the swap) the row is the certified route's (``reference --float64``)."""
    reach = g * np.abs(times) * (np.finfo(float).eps * 1e11)
    return (np.sqrt(c2) < reach) | ((np.sqrt(s2) < reach) & (g * np.abs(times) >= 1))


def _energy(lib, pops, energies, order):
    """sum_k p_k E_k accumulated in ascending energy, like the passive energy, so that
    a passive state's ergotropy E - Tr[pi H] is an exact 0."""
    total = lib.zero
    for k in order:
        total += pops[k] * energies[k]
    return total


def _swapped_row(row, row0, lib, convention):
    """The row at a proven full swap (see :meth:`QutritSwap.evaluate`), from the t = 0
    row ``row0``; ``sigma_erg_A`` (not zero: the paper's point) stays as computed."""
    from ..heat_work import sign

    out = dict(row)
    for x, y in (("A", "B"), ("B", "A")):
        for key in ("S", "beta", "Eth"):
            out[f"{key}_{x}"] = row0[f"{key}_{x}"]
        for key in ("E", "ergotropy", "exergy"):
            out[f"{key}_{x}"] = row0[f"{key}_{y}"]
        out[f"Q_{x}"] = lib.zero
        out[f"W_{x}"] = sign(convention) * (row0[f"E_{y}"] - row0[f"E_{x}"])
    out.update(E_int=lib.zero, I_AB=lib.zero, sigma_A=lib.zero, sigma_B=lib.zero)
    return out


def _sigma_erg(lib, q0, qt):
    if qt is q0 or all(qt[n] is q0[n] for n in ("A", "B")):
        # t = 0 exactly (the routes pass the same quantities, the propagator per
        # subsystem): no increment
        return lib.zero
    from ..laws import beta_times_heat

    d_erg = qt["B"]["ergotropy"] - q0["B"]["ergotropy"]
    d_e = qt["B"]["E"] - q0["B"]["E"]
    # 0 * inf = 0 (a propagated B pure to float64 has beta_B(0) = inf: inf * 0 was a nan
    # that stopped the command with 'refusing to print nan')
    return qt["A"]["S"] - q0["A"]["S"] + beta_times_heat(lib, q0["B"]["beta"], d_e - d_erg)


def _beta_with_more_bits(lib, levels, pb):
    """beta_B(0) in balls where the working precision could not bracket it (B nearly
    pure: S_B(0) = 1e-46 at 120 bits gives an unbounded ball, and w(beta) of that is
    nan, which sorting the spectra refuses before certify could ask for more bits): the
    same enclosure at twice the bits, up to 16 times, each a valid enclosure at any
    precision."""
    import flint

    from ..balls import ball_precision

    bits = flint.ctx.prec
    beta = None
    for _ in range(4):
        bits *= 2
        with ball_precision(bits):
            probs = [+_to_lib(lib, x) for x in pb]
            beta = beta_for_entropy(lib, levels, entropy_of_distribution(lib, probs))
        if beta.is_finite():
            break
    return beta


def _numeric_matrix(M, lib):
    return lib.as_matrix(M)


@functools.cache
def _symbolic_constants():
    """The module's SymPy constants, made on first use (importing SymPy is slow)."""
    BETA_B0 = sympy.Symbol("beta_B0", positive=True)
    _SYMBOLS = {prm.name: prm.symbol for prm in _PARAMETERS}
    return {'BETA_B0': BETA_B0, '_SYMBOLS': _SYMBOLS}


def __getattr__(name):
    # PEP 562: SymPy constants of this module, made on first use
    if name == "T":
        from .base import T

        return T
    if name in ('BETA_B0', '_SYMBOLS'):
        return _symbolic_constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
