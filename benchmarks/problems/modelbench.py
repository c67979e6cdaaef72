"""The symthermo side of problems 1-3, and the QuTiP/qthermo post-processing they share.

For a model of :mod:`symthermo.models` at given parameters and times:

- ``symthermo float64``: ``Model.evaluate(p, times, lib=FLOAT64)``, timed warm
  (after a first call, timed alone as ``symthermo float64, first call``,
  which includes the SymPy derivation);
- ``symthermo dps 30``: the same inside ``working_precision(30)`` with
  ``lib=MPMATH`` (one evaluation at 30 + 10 guard digits, not certified);
  optionally also ``certified``: ``tables.reference_payload`` at dps 30, what
  ``symthermo reference`` prints (balls, every printed digit proven), scored
  on the printed strings, and timed in its two parts (``certified: evaluation``,
  the balls; ``certified: rounding proof and strings``);
- the reference: ``Model.propagate`` (the propagator: the dynamics
  integrated from the Hamiltonian and the Lindblad terms, sharing nothing
  with the closed forms but the definitions of the quantities) at dps 50, at
  up to ``ref_points`` evenly spaced times (every tool is scored there);
  checked against the closed form at dps 50 + 70 working digits at the same
  times, and the digits of every tool are capped at their agreement.
  ``precision.stable`` is not used for the reference: it fails to certify
  the exact zeros (ergotropy and exergy of a passive qubit) of the open
  models at many times.
"""

from __future__ import annotations

import decimal
import importlib
import time
import warnings

import mpmath
import numpy as np

from .common import result, score, timed

__all__ = ["load_model", "contract_keys", "symthermo_side", "qutip_bipartite", "qutip_single",
           "qthermo_side", "cols_of"]


def load_model(name):
    """(model, None) or (None, reason) when the model module is not there yet."""
    try:
        from symthermo.models import get_model

        return get_model(name), None
    except (ImportError, AttributeError, ValueError) as exc:
        return None, f"model {name!r} not available ({type(exc).__name__}: {exc})"


def contract_keys(model):
    return [k for k in model.keys() if k != "t" and k not in model.extra_keys]


def cols_of(rows, keys):
    return {k: [r[k] for r in rows] for k in keys}


def _printed_value(text):
    """A printed contract value as an mpmath number (the midpoint of an ``m +/- r`` bound)."""
    with mpmath.workdps(80):  # read every printed digit (mpf() keeps its bits after the block)
        return mpmath.mpf(text.split(" +/- ")[0])


def symthermo_side(ctx, problem, model, p, ts, *, check_idx, certified=False, propagate_kwargs=None,
                   labels=None, ref_points=50):
    """Rows of the symthermo tools, the reference columns, and the cap.

    Returns ``(rows, ref_cols, cap, crosscheck_text, scorer)``; ``scorer(cols,
    keys)`` scores a tool (columns over all of ``ts``) against the reference,
    which holds the ``ref_points`` scored times (``check_idx`` among them) only.
    """
    from symthermo.numbers import FLOAT64, MPMATH
    from symthermo.precision import working_precision
    from symthermo.tables import reference_payload

    keys = contract_keys(model)
    labels = labels or [f"t={t:.6g}" for t in ts]

    def mp_times():
        return [mpmath.mpf(t) for t in ts]

    # the reference: the propagator (Model.propagate: the dynamics integrated from the
    # Hamiltonian, sharing nothing with the closed forms but the definitions of the
    # quantities) at ref_dps, at ``ref_points`` evenly spaced times; every tool is scored
    # at those times
    n = len(ts)
    ref_idx = sorted({round(k * (n - 1) / max(1, ref_points - 1)) for k in range(ref_points)}
                     | set(check_idx)) if n > ref_points else list(range(n))
    ref_ts = [ts[i] for i in ref_idx]
    # the first float64 call of this process: SymPy derivation and compilation included
    start = time.perf_counter()
    model.evaluate(p, ts, lib=FLOAT64)
    first_s = time.perf_counter() - start
    ctx.log(f"{problem}: reference (propagator, dps {ctx.ref_dps}) at {len(ref_idx)} of {n} times")
    t0 = time.perf_counter()
    with working_precision(ctx.ref_dps):
        prop = model.propagate(p, [mpmath.mpf(t) for t in ref_ts], lib=MPMATH,
                               **(propagate_kwargs or {}))
    ref_s = time.perf_counter() - t0
    ref_cols = cols_of(prop, keys)
    # checked against the closed form at ref_dps + 60 working digits: two independent
    # routes, their agreement bounds the reference's error (and caps every tool's digits)
    with working_precision(ctx.ref_dps, extra=60):
        closed = model.evaluate(p, [mpmath.mpf(t) for t in ref_ts], lib=MPMATH)
    agree = score(cols_of(closed, keys), ref_cols, keys, cap=ctx.ref_dps)
    cap = agree["digits"]
    ctx.log(f"{problem}: reference in {ref_s:.1f} s, agrees with the closed form to {cap:.1f} digits")
    crosscheck = (f"the propagator at dps {ctx.ref_dps} and the closed form at dps "
                  f"{ctx.ref_dps} + 70 working digits agree to {cap:.1f} digits on every key at "
                  f"the {len(ref_idx)} scored times"
                  + (f" (worst {agree['worst']['key']})" if cap < ctx.ref_dps else ""))
    ref_labels = [labels[i] for i in ref_idx]

    def scorer(cols, use_keys):
        picked = {k: [cols[k][i] for i in ref_idx] for k in use_keys}
        return score(picked, ref_cols, use_keys, cap=cap, labels=ref_labels)

    rows = []
    # the same input as the plain numpy yardstick: the times as a float64 array
    t_array = np.array(ts, dtype=float)
    t64, r64 = timed(lambda: model.evaluate(p, t_array, lib=FLOAT64), ctx)
    rows.append(result(problem, "symthermo float64", time_s=t64, scored=scorer(cols_of(r64, keys), keys),
                       keys=keys, note="Model.evaluate(lib=FLOAT64) on the times as a numpy array "
                                       "(the plain numpy script's input), every contract key; "
                                       "timed warm",
                       first_call_s=first_s))
    rows.append(result(problem, "symthermo float64, first call", time_s=first_s,
                       keys=keys, status="ok",
                       note="the first evaluation in a fresh process: SymPy derivation and "
                            "compilation of the closed forms included"))

    def mp_eval():
        with working_precision(ctx.dps):
            return model.evaluate(p, mp_times(), lib=MPMATH)

    tmp, rmp = timed(mp_eval, ctx, budget=10.0)
    rows.append(result(problem, f"symthermo dps {ctx.dps}", time_s=tmp,
                       scored=scorer(cols_of(rmp, keys), keys), keys=keys,
                       note=f"Model.evaluate(lib=MPMATH) inside working_precision({ctx.dps}): "
                            "one evaluation at 30 + 10 guard digits"))
    if certified:
        rows += _certified_rows(ctx, problem, model, p, ts, keys, scorer)
    return rows, ref_cols, cap, crosscheck, scorer


def _certified_rows(ctx, problem, model, p, ts, keys, scorer):
    """The certified rows: what `symthermo reference --dps 30` prints, timed warm, whole
    (``tables.reference_payload``) and in its two parts: the evaluation (the balls at the
    working precision Ziv's loop settles on, all times at once: ``ball_columns``) and the
    rounding proof with the strings (``certify.format_column`` over every column)."""
    from symthermo.ball_columns import evaluate_columns
    from symthermo.balls import BALLS, ball_precision
    from symthermo.certify import format_column
    from symthermo.errors import SymthermoError
    from symthermo.tables import reference_payload

    tool = f"symthermo dps {ctx.dps}, certified"
    # the exact decimal value of each float64 time, so every route sees the same times;
    # one --times text, as the command line passes it
    given = {k: str(v) for k, v in p.items()}
    texts = [str(decimal.Decimal(float(t))) for t in ts]
    times_text = ",".join(texts)
    try:
        reference_payload(model, given, times_text, dps=ctx.dps)  # warm: caches filled
        tc, payload = timed(lambda: reference_payload(model, given, times_text, dps=ctx.dps),
                            ctx)
    except SymthermoError as exc:
        return [result(problem, tool, status="error", keys=keys,
                       note=f"{type(exc).__name__}: {exc} (what `symthermo reference` prints "
                            "for these times)")]
    rc = [{k: _printed_value(r[k]) for k in keys} for r in payload["rows"]]
    out = [result(problem, tool, time_s=tc, scored=scorer(cols_of(rc, keys), keys), keys=keys,
                  note="tables.reference_payload: what `symthermo reference --dps 30` prints "
                       "(balls, Ziv's loop, every printed digit proven), the printed strings "
                       "scored; timed warm (compiled ball forms cached, as on a second run)")]
    if not getattr(model, "vectorised", True):
        return out
    from fractions import Fraction

    from symthermo.compiled import plain_parameters

    # the parameters as `symthermo reference` reads plain numbers (the cached ball forms)
    p = (plain_parameters(model, given) if getattr(model, "numeric_balls", False) else None) or p
    bits = _certified_bits(model, p, texts, ctx.dps)
    exact = [Fraction(t) for t in texts]

    def evaluation():
        with ball_precision(bits):
            return evaluate_columns(model, p, [BALLS.number(t) for t in exact])

    te, value = timed(evaluation, ctx)

    def strings():
        with ball_precision(bits):
            done = {}
            for k in value.keys:
                column = value.columns[k]
                if id(column) not in done and hasattr(column, "dtype"):
                    done[id(column)] = format_column(column, ctx.dps)
            return done

    tf, _ = timed(strings, ctx)

    # the floor of format_column's proof of the printed decimals: Arb's decimal enclosure
    # of each distinct ball (mid_rad_10exp, at the digits format_column asks), without
    # the Python that turns it into a text
    def decimal_enclosures():
        with ball_precision(bits):
            seen = {}
            for k in value.keys:
                column = value.columns[k]
                if hasattr(column, "dtype"):
                    for x in column.tolist():
                        if id(x) not in seen and hasattr(x, "mid_rad_10exp"):
                            seen[id(x)] = x
            balls = list(seen.values())
            n10 = ctx.dps + 12
            return lambda: [x.mid_rad_10exp(n10) for x in balls], len(balls)

    convert, count = decimal_enclosures()
    with ball_precision(bits):
        td, _ = timed(convert, ctx)
    out.append(result(problem, f"{tool}: evaluation", time_s=te, keys=keys, status="ok",
                      note=f"the balls of every key at every time, at the {bits} bits where "
                           "every printed digit was proven (ball_columns.evaluate_columns, one "
                           "evaluation; the exact times as balls included)"))
    out.append(result(problem, f"{tool}: rounding proof and strings", time_s=tf, keys=keys,
                      status="ok",
                      note="certify.format_column on every column of those balls: the proof "
                           "that each ball rounds to its printed decimal, the strings and err"))
    out.append(result(problem, f"{tool}: decimal enclosures alone (floor)", time_s=td, keys=keys,
                      status="ok",
                      note=f"Arb's mid_rad_10exp of each of the {count} distinct balls, one C call "
                           "each and nothing else: the least that certify.format_column's proof "
                           "of the printed decimals needs (it starts from that enclosure)"))
    return out


def _certified_bits(model, p, texts, dps):
    """The working precision at which Ziv's loop proved every digit."""
    from fractions import Fraction

    from symthermo.ball_columns import evaluate_columns
    from symthermo.certify import certified

    exact = [Fraction(t) for t in texts]
    return certified(lambda lib: evaluate_columns(model, p, [lib.number(t) for t in exact]),
                     dps).bits


# -- QuTiP post-processing: what a QuTiP user writes with QuTiP's own functions ----------

def qutip_bipartite(qt, states, HA, HB, V):
    """E_A, E_B, S_A, S_B, E_int, I_AB from joint density matrices (ptrace, expect, entropy_vn)."""
    out = {k: [] for k in ("E_A", "E_B", "S_A", "S_B", "E_int", "I_AB")}
    for rho in states:
        a, b = rho.ptrace(0), rho.ptrace(1)
        s_a, s_b = qt.entropy_vn(a), qt.entropy_vn(b)
        out["E_A"].append(qt.expect(HA, a))
        out["E_B"].append(qt.expect(HB, b))
        out["S_A"].append(s_a)
        out["S_B"].append(s_b)
        out["E_int"].append(qt.expect(V, rho))
        out["I_AB"].append(s_a + s_b - qt.entropy_vn(rho))
    return out


def qutip_single(qt, states, HA):
    out = {"E_A": [], "S_A": []}
    for rho in states:
        out["E_A"].append(qt.expect(HA, rho))
        out["S_A"].append(qt.entropy_vn(rho))
    return out


# -- qthermo post-processing on QuTiP's states --------------------------------------------

def qthermo_side(qth, states, local_H, dims, *, pad=None, initial_beta=None, mutual=True):
    """qthermo's quantities for each subsystem from joint density matrices (numpy or Qobj).

    ``local_H``: name -> numpy matrix (for an oscillator, on ``pad[name]``
    levels: the reduced state is padded with zeros so that qthermo's
    thermal state of equal entropy is that of the untruncated oscillator).
    ``initial_beta``: name -> the known initial inverse temperature, used for
    sigma_X = entropy_production(rho_X(0), rho_X(t), heat=-Q_Y, T=1/beta_Y(0)).
    Keys: S, ergotropy, exergy (asymptotic_ergotropy), Eth = E - exergy, Q, W,
    sigma (when initial_beta is given), I_AB (mutual_information).
    """
    from qthermo.batteries import asymptotic_ergotropy

    names = list(local_H)
    pad = pad or {}
    out = {}
    first, first_red = None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rho in states:
            full = rho.full() if hasattr(rho, "full") else np.asarray(rho)
            eth, red = {}, {}
            for k, n in enumerate(names):
                r = qth.partial_trace(full, k, dims) if len(names) > 1 else full
                if n in pad:
                    big = np.zeros((pad[n], pad[n]), dtype=complex)
                    big[:r.shape[0], :r.shape[1]] = r
                    r = big
                red[n] = r
                H = local_H[n]
                E = qth.internal_energy(r, H)
                X = asymptotic_ergotropy(r, H)
                _add(out, f"S_{n}", qth.von_neumann_entropy(r))
                _add(out, f"ergotropy_{n}", qth.ergotropy(r, H))
                _add(out, f"exergy_{n}", X)
                _add(out, f"Eth_{n}", E - X)
                eth[n] = (E, E - X)
            if first is None:
                first, first_red = eth, red
            q = {}
            for n in names:
                q[n] = eth[n][1] - first[n][1]
                _add(out, f"Q_{n}", q[n])
                _add(out, f"W_{n}", eth[n][0] - first[n][0] - q[n])
            if initial_beta and len(names) == 2:
                a, b = names
                _add(out, f"sigma_{a}", qth.entropy_production(first_red[a], red[a], -q[b],
                                                               1 / initial_beta[b]))
                _add(out, f"sigma_{b}", qth.entropy_production(first_red[b], red[b], -q[a],
                                                               1 / initial_beta[a]))
            if mutual and len(names) == 2:
                _add(out, "I_AB", qth.mutual_information(full, 0, 1, dims))
    return out


def _add(d, k, v):
    d.setdefault(k, []).append(float(np.real(v)))
