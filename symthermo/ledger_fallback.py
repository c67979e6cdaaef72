"""float64 ledger rows that print only the digits they have earned.

The float64 ledger propagates the joint state and takes differences of O(1)
numbers (Q = E^th(t) - E^th(0), entropies of nearly pure states, I_AB as
S_A + S_B - S_AB): at small times or near a zero of a value they keep few
correct digits.  The contract promises at least 10 correct digits of the 15
printed.  This module keeps that promise in two steps:

1. :func:`row_errors` estimates, after the fact, the absolute error of every
   float64 value of a row from what float64 did: an entry of rho(t) carries
   ``2 eps (d + ||G|| t)`` (d the joint dimension: the input's, the
   eigensolver's and the products' rounding; ||G|| t: the phases', from the
   levels' rounding), a partial trace adds sqrt(d / d_X) of them up, an
   eigenvalue moves by sqrt(d_X) times that (the phases' part only by about
   sqrt(p) for an eigenvalue p near 0: the evolution keeps the state
   positive), an entropy by ``|ln p|`` per eigenvalue (``delta |ln delta|``
   for one within ``delta`` of 0), beta by ``dS / (beta Var)``, the thermal
   energy by ``dS / beta``, and the differences (Q, W, I_AB, sigma) add their
   terms' errors.  Errors are added at their largest, rounding sums counted as
   random walks: an estimate, not a proof.  Against 30 proven digits on 46
   random systems (qubits and qutrits, non-diagonal H, pure and mixed states,
   with and without Lindblad terms) at 16 times each, no value exceeded its
   estimate (the least margin was 4.6; it is 100 to 1000 for the sparse
   ``examples/two_qutrits.json``), and ``tests/test_ledger_float64_digits.py``
   keeps checking it.  Exact zeros of the structure (the increments at t = 0,
   E_int(t) = E_int(0) where [H_0, V] = 0 is proven, the entropy of a pure
   initial state, proven rank 1, the ergotropy of a passive diagonal one)
   carry no error.
2. A row in which some value's estimate exceeds :data:`EARNED` (1e-10)
   relative is recomputed on the certified ball route
   (:func:`ball_rows`, the route of ``--number-system balls``) at the
   printed 15 digits, which are then all proven.

>>> from symthermo.ledger_fallback import unearned
>>> unearned({"t": 1.0, "Q_A": 2e-14, "E_A": 0.5}, {"Q_A": 1e-16, "E_A": 1e-16})
['Q_A']
"""

from __future__ import annotations

import math

import numpy as np

from .levels import Oscillator
from .numbers import FLOAT64
from .propagator_input import float64_entry_error
from .thermal_functions import _thermal_moments

__all__ = ["EARNED", "row_errors", "unearned", "generator_norm", "exactly_pure", "ball_rows",
           "float_ball_rows"]

#: the relative error a float64 value may carry: the contract's 10 correct digits of 15
EARNED = FLOAT64.earned
_EPS = float(FLOAT64.eps)


def generator_norm(H_total, lindblad=()):
    """An upper bound on the norm of the generator: ||H||_inf (max absolute row sum,
    at least the spectral norm of a Hermitian H) plus 2 sum rate ||L||_1 ||L||_inf."""
    norm = float(np.max(np.sum(np.abs(np.asarray(H_total)), axis=1)))
    for rate, L in lindblad:
        L = np.abs(np.asarray(L))
        norm += 2 * abs(float(rate)) * float(np.max(L.sum(axis=0))) * float(np.max(L.sum(axis=1)))
    return norm


def _scales(sub, d):
    """(max |E_k|, the rounding of the levels of a non-diagonal H, its ground energy, as
    the float64 eigensolver found them: 0 for a diagonal H's and an oscillator's, which
    are its entries)."""
    scale = _energy_scale(sub, d)
    exact = isinstance(sub.levels, Oscillator) or _is_diagonal(sub.H)
    return scale, 0.0 if exact else 4 * d * _EPS * scale


def _energy_scale(sub, d):
    """max |E_k| over the levels the float64 route uses."""
    levels = sub.levels
    if isinstance(levels, Oscillator):
        return abs(float(levels.offset)) + float(levels.omega) * (d - 1)
    return max(abs(float(levels.energies[0])), abs(float(levels.energies[-1])))


def _is_diagonal(M):
    M = np.asarray(M)
    return not np.any(M - np.diag(np.diag(M)))


def _pure_diagonal(M):
    """A diagonal matrix with one nonzero entry: a pure state of the basis (exact)."""
    M = np.asarray(M)
    return (not np.any(M - np.diag(np.diag(M)))) and np.count_nonzero(np.diag(M)) == 1


def _passive_diagonal(sub, M):
    """H and rho diagonal, populations non-increasing in energy with a margin above
    their rounding: a passive state, ergotropy an exact 0 (as the balls prove it)."""
    M = np.asarray(M)
    if np.any(M - np.diag(np.diag(M))):
        return False
    if not isinstance(sub.levels, Oscillator):
        H = np.asarray(sub.H, dtype=complex)
        if np.any(H - np.diag(np.diag(H))):
            return False
        energies = np.real(np.diag(H))
    else:
        energies = float(sub.levels.omega) * np.arange(M.shape[0])
    p = np.real(np.diag(M))[np.argsort(energies, kind="stable")]
    e = np.sort(energies)
    for i in range(len(p) - 1):
        if e[i] == e[i + 1] and p[i] != p[i + 1]:
            return False
        if not (p[i] == p[i + 1] or p[i] > p[i + 1] * (1 + 16 * _EPS)):
            return False
    return True


def _entropy_error(spectrum, dp):
    """An error bound of -sum p ln p for eigenvalues each known within dp (a sequence
    or a number): |ln p| dp each, dp |ln dp| for one within dp of 0, and dp for the
    trace.  Plain floats: the spectra are short (numpy's overhead would dominate)."""
    if not np.ndim(dp):
        dp = [float(dp)] * len(spectrum)
    total = 0.0
    for p, e in zip(spectrum, dp):
        e = float(e)
        if e > 0:
            total += e * (1 + abs(math.log(max(float(p), e))))
    return total


def exactly_pure(rho0, *, limit=64):
    """True when a state as given is proven pure: a ket, or a matrix of exact entries
    (decimal strings, fractions, binary floats read exactly) of rank 1 (rho_ij rho_kk =
    rho_ik rho_kj for a pivot k: |psi><psi| up to its norm, which the input check has
    found within its rounding of 1), up to ``limit`` levels.

    >>> from symthermo.ledger_fallback import exactly_pure
    >>> exactly_pure([["1/2", "1/2"], ["1/2", "1/2"]]), exactly_pure([["1/2", "0"], ["0", "1/2"]])
    (True, False)
    """
    from .ledger import _as_matrix_data, _exact_matrix, _vector_data

    data = _as_matrix_data(rho0)
    if _vector_data(data) is not None:
        return True  # |psi><psi| by construction
    if len(data) > limit:
        return False
    M = _exact_matrix(data)
    if M is None:
        return False
    d = len(M)
    if any(M[i][i][1] for i in range(d)) or sum(M[i][i][0] for i in range(d)) <= 0:
        return False
    k = max(range(d), key=lambda i: M[i][i][0])
    pivot = M[k][k][0]

    def mul(a, b):
        return (a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0])

    return all((M[i][j][0] * pivot, M[i][j][1] * pivot) == mul(M[i][k], M[k][j])
               for i in range(d) for j in range(d))


def _subsystem_errors(sub, M, q, entry_error, *, initial, pure=False, phase_error=0.0,
                      scales=None):
    """Absolute errors of E, S, beta, Eth, ergotropy, exergy of one reduced state whose
    entries carry ``entry_error`` (of which ``phase_error`` from the phases: a
    perturbation of the generator keeps the state positive, so it moves an eigenvalue p
    near 0 only by about sqrt(p) times it); ``pure``: the initial state is proven pure
    (:func:`exactly_pure`); ``scales``: :func:`_scales` when the caller has it."""
    spectrum = q["spectrum"]
    d = len(spectrum)
    scale, levels = scales or _scales(sub, d)
    if initial and _pure_diagonal(M):
        dp, dS = 0.0, 0.0  # a state of the basis, exactly (the input's exact 0s and 1)
        dE = 4 * _EPS * abs(float(q["E"])) + levels
    elif initial and pure and float(q["S"]) == 0:
        dp, dS = 0.0, 0.0  # S = 0, beta = inf, E^th = E_0 exactly; only E is rounded
        dE = 2 * math.sqrt(d) * scale * entry_error + 4 * _EPS * abs(float(q["E"])) + levels
    elif initial and not np.any(np.asarray(M) - np.diag(np.diag(M))):
        # a diagonal initial state: each population rounded relative to itself
        dp = 8 * _EPS * np.abs(np.asarray(spectrum, dtype=float))
        dS = _entropy_error(spectrum, dp)
        dE = 8 * _EPS * (d * scale + abs(float(q["E"]))) + levels
    else:
        base = math.sqrt(d) * (entry_error - phase_error) + 2 * _EPS
        phase = math.sqrt(d) * phase_error
        dp = [base + phase * min(1.0, 2 * math.sqrt(max(float(p), 0.0))) for p in spectrum]
        dS = _entropy_error(spectrum, dp)
        dE = 2 * math.sqrt(d) * scale * entry_error + 4 * _EPS * abs(float(q["E"])) + levels
    beta = float(q["beta"])
    if dS == 0:
        dbeta, dEth = 4 * _EPS * abs(beta), 4 * _EPS * abs(float(q["Eth"])) + levels
        if math.isinf(beta):
            dbeta = 0.0
    elif 0 < beta < math.inf:
        _, var, _ = _thermal_moments(sub.lib, sub.levels, beta)
        var = float(var)
        dbeta = dS / (beta * var) + 8 * _EPS * beta if var > 0 else math.inf
        dEth = dS / beta + 8 * _EPS * (abs(float(q["Eth"])) + scale) + levels
    else:  # beta 0 or inf from an entropy known only within dS
        dbeta = dEth = math.inf
    dp_max = float(np.max(dp)) if np.ndim(dp) else float(dp)
    d_passive = 2 * math.sqrt(d) * scale * dp_max + 8 * _EPS * scale
    if initial and float(q["ergotropy"]) == 0 and (dp_max == 0 or _passive_diagonal(sub, M)):
        d_erg = 0.0  # passive by structure
    else:
        d_erg = dE + d_passive
    if (initial and float(q["exergy"]) == 0 and d_erg == 0 and d == 2
            and _passive_diagonal(sub, M)):
        d_ex = 0.0  # a passive diagonal qubit is thermal
    else:
        d_ex = dE + dEth + 2 * d_passive  # the route: ergotropy + (passive - E^th)
    return {"E": dE, "S": dS, "beta": dbeta, "Eth": dEth, "ergotropy": d_erg, "exergy": d_ex}


def row_errors(rows, *, dims, norm, V=None, conserved=False, unitary=True, pure=()):
    """Attach to each float64 ledger row ``row["_internal"]["errors"]``, the absolute error
    estimate of every value, and fix sigma's beta(0) = inf times a heat: +-inf where the
    heat's sign is certain (its size exceeds its error), else the term is unknown.

    ``dims`` are the subsystems' dimensions, ``norm`` :func:`generator_norm`, ``V``
    the coupling (E_int), ``conserved`` that E_int(t) = E_int(0) is proven, ``pure``
    the subsystems whose initial state is proven pure (:func:`exactly_pure`).
    """
    if not rows:
        return rows
    d = 1
    for k in dims:
        d *= k
    first = rows[0]["_internal"]
    subs, q0 = first["subsystems"], first["q0"]
    names = list(subs)
    reduced0 = first.get("reduced0") or {}
    err0 = {}
    scales = {n: _scales(subs[n], len(q0[n]["spectrum"])) for n in names}
    for k, n in enumerate(names):
        entry0 = float64_entry_error(d, 0.0, 0.0) * math.sqrt(d / dims[k])
        err0[n] = _subsystem_errors(subs[n], reduced0.get(n, np.eye(1)), q0[n], entry0,
                                    initial=n in reduced0, pure=n in pure)
    v_scale = 0.0 if V is None else float(np.max(np.sum(np.abs(np.asarray(V)), axis=1)))
    for row in rows:
        internal = row["_internal"]
        t = float(row["t"])
        at_start = t == 0
        entry = float64_entry_error(d, norm, t)
        phase = entry - float64_entry_error(d, 0.0, 0.0)
        err = {"t": 0.0}
        heat_err = {}
        for k, n in enumerate(names):
            if at_start:
                e = err0[n]
            else:
                e = _subsystem_errors(subs[n], internal["reduced"][n], internal["qt"][n],
                                      entry * math.sqrt(d / dims[k]), initial=False,
                                      phase_error=phase * math.sqrt(d / dims[k]),
                                      scales=scales[n])
            for key, value in e.items():
                err[f"{key}_{n}"] = value
            if at_start:
                err[f"Q_{n}"] = err[f"W_{n}"] = 0.0
                heat_err[n] = 0.0
                continue
            heat_err[n] = e["Eth"] + err0[n]["Eth"]
            err[f"Q_{n}"] = heat_err[n]
            err[f"W_{n}"] = e["E"] + err0[n]["E"] + heat_err[n]
        if len(names) > 1:
            err["E_int"] = 0.0 if conserved else 2 * v_scale * math.sqrt(d) * entry
            mutual = "I_AB" if len(names) == 2 else "I_tot"
            if at_start:
                err[mutual] = 0.0 if float(row[mutual]) == 0 else sum(
                    err0[n]["S"] for n in names) + _entropy_error(
                        internal.get("joint_spectrum0", [1.0]), math.sqrt(d) * entry)
            else:
                joint = internal.get("joint_spectrum")
                if joint is None:  # unitary: S(rho(t)) = S(rho(0)), the sum of the S_X(0)
                    # of a product state
                    s_joint = sum(err0[n]["S"] for n in names) if first.get("product") else (
                        _entropy_error(internal["joint_spectrum0"], math.sqrt(d) * entry))
                else:
                    p = np.maximum(np.asarray(joint, dtype=float), 0.0)
                    s_joint = _entropy_error(joint, math.sqrt(d) * (
                        entry - phase + phase * np.minimum(1.0, 2 * np.sqrt(p))) + 2 * _EPS)
                err[mutual] = sum(err[f"S_{n}"] for n in names) + s_joint + (
                    sum(err0[n]["S"] for n in names) if not first.get("product") else 0.0)
            if unitary:
                for n in names:
                    key = f"sigma_{n}"
                    if at_start:
                        err[key] = 0.0
                        continue
                    value = float(internal["qt"][n]["S"]) - float(q0[n]["S"])
                    total = err[f"S_{n}"] + err0[n]["S"]
                    signs = set()  # of the beta(0) = inf terms whose heat's sign is certain
                    for m in names:
                        if m == n:
                            continue
                        b0 = float(q0[m]["beta"])
                        heat = float(internal["qt"][m]["Eth"]) - float(q0[m]["Eth"])
                        if math.isinf(b0):
                            if abs(heat) > heat_err[m]:
                                signs.add(math.copysign(1.0, heat))
                            else:
                                total = math.inf  # 0 or inf: the heat's sign is unknown
                            continue
                        value += b0 * heat
                        total += b0 * heat_err[m] + abs(heat) * err0[m]["beta"]
                    if len(signs) == 1 and total < math.inf:
                        value, total = math.copysign(math.inf, signs.pop()), 0.0
                    elif len(signs) > 1:
                        total = math.inf  # inf - inf
                    if total < math.inf:
                        row[key] = value
                    err[key] = total
        internal["errors"] = err
    return rows


def unearned(row, errors):
    """The keys of a row whose error estimate exceeds :data:`EARNED` of its value (a
    value 0 or infinite with a nonzero error included)."""
    out = []
    for key, e in errors.items():
        if e == 0 or key not in row:
            continue
        value = abs(float(row[key]))
        if not e <= EARNED * value or math.isinf(value):
            out.append(key)
    return out


def ball_rows(system, times, *, convention, digits, mpmath_route=True):
    """The ledger rows of a :class:`~symthermo.ledger.System` at exact ``times``
    (Fractions) on the certified route, as strings: balls (every printed digit proven,
    a value they only bound printed ``m +/- r``), as ``symthermo ledger --dps digits``
    prints them; mpmath certified by agreement where the balls have no route (an
    oscillator whose truncation is not proven invariant), or None there when not
    ``mpmath_route``."""
    import flint

    from .balls import ball_precision
    from .ledger import check_system, ledger_keys, ledger_rows
    from .numbers import MPMATH
    from .precision import stable
    from .tables import LEDGER_GUARD_BITS, _ball_rows_out, _evaluate_balls, _rows_out

    check_system(system, digits)
    keys = ledger_keys(system.names, unitary=system.unitary)

    def compute(lib):
        rows = ledger_rows(system, [lib.number(t) for t in times], lib=lib,
                           convention=convention)
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]

    def compute_balls(lib):
        with ball_precision(flint.ctx.prec + LEDGER_GUARD_BITS):  # as ledger_payload
            return compute(lib)

    result = _evaluate_balls(compute_balls, digits)
    if result is None:
        if not mpmath_route:
            return None
        return _rows_out(stable(lambda: compute(MPMATH), digits), keys, digits)
    return _ball_rows_out(result, keys, digits, False)


def float_ball_rows(system, times, *, convention):
    """:func:`ball_rows` at 17 digits as floats (the Python API's float64 ledger): each
    value the float nearest its proven decimal; a value the balls only bound (printed
    ``m +/- r``) becomes the float of its midpoint ``m``.  None where the balls have no
    route (an oscillator whose truncation is not proven invariant: mpmath at such
    digits would be slow, and float input such as an unnormalised float ket is beyond
    its tolerance there)."""
    from fractions import Fraction

    exact = [Fraction(t) if isinstance(t, (int, float)) else t for t in times]
    rows = ball_rows(system, exact, convention=convention, digits=17, mpmath_route=False)
    if rows is None:
        return None
    return [{k: float(v.split(" +/- ")[0]) for k, v in row.items() if k != "err"}
            for row in rows]
