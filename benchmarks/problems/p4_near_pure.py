"""Problem 4: entropy, relative entropy, ergotropy and exergy of near-pure states.

rho = diag(1 - e, e, 0), H = diag(0, 1, 2.5), e from 1e-6 to 1e-14.  The
reference is plain mpmath at dps 60 (60 + 40 working digits) with the
textbook formulas of :mod:`problems.textbook`, independent of symthermo.

The relative entropy is D[rho || w(beta*)], w(beta*) the thermal state with
rho's entropy: rho is passive here, so this is the passive term of the
exergy, exergy - ergotropy = D/beta* (SL26 Eq. 10; ergotropy = 0 exactly).
symthermo computes it from rho and H alone (``exergy_decomposition``);
QuTiP's ``entropy_relative`` needs sigma, and is given the float64 rounding
of the exact w(beta*).

The float64 tools receive ``numpy.diag([1.0 - e, e, 0.0])``; symthermo at
dps 30 receives the exact decimal strings.  The row ``float64 input, exact
arithmetic`` scores the textbook formulas evaluated exactly on the float64
input: the digits that the rounding of the input alone leaves to any
float64 tool.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np

from . import textbook as tb
from .common import missing_rows, result, score, timed

NAME = "4 near-pure"
QUANTITIES = ("S", "D", "ergotropy", "exergy")
LEVELS = ("0", "1", "2.5")
REF_DPS = 60


def epsilons(quick):
    return ["1e-6", "1e-14"] if quick else ["1e-6", "1e-8", "1e-10", "1e-12", "1e-14"]


def reference(e, *, float_input=False, dps=REF_DPS):
    """The four quantities (and beta*, w(beta*)) at ``dps`` digits, textbook formulas."""
    with mpmath.workdps(dps + 40):
        if float_input:
            p0, p1 = mpmath.mpf(1.0 - float(e)), mpmath.mpf(float(e))
        else:
            p1 = mpmath.mpf(e)
            p0 = 1 - p1
        levels = [mpmath.mpf(x) for x in LEVELS]
        rho = mpmath.diag([p0, p1, 0])
        S = tb.entropy_of([p0, p1])
        beta = tb.matched_beta(levels, S)
        w = tb.thermal_weights(levels, beta)
        E = p1 * levels[1]
        Eth = tb.thermal_energy(levels, beta)
        out = {"S": S, "D": tb.relative_entropy(rho, mpmath.diag(w)),
               "ergotropy": E - tb.passive_energy(levels, [p0, p1, mpmath.mpf(0)]),
               "exergy": E - Eth, "beta": beta, "w": w}
    return out


def _float_inputs(e):
    rho = np.diag([1.0 - float(e), float(e), 0.0])
    H = np.diag([float(x) for x in LEVELS])
    return rho, H


def _tool_functions(ctx):
    """{tool name: (note, {quantity: f(e) -> value})}; float64 tools get numpy input."""
    from symthermo.entropy import von_neumann_entropy
    from symthermo.ergotropy import ergotropy, exergy, exergy_decomposition

    dps = ctx.dps
    H_text = [[LEVELS[0], 0, 0], [0, LEVELS[1], 0], [0, 0, LEVELS[2]]]

    def text(e):
        return [[f"1 - {e}", 0, 0], [0, e, 0], [0, 0, 0]]

    tools = {
        "symthermo float64": (
            "von_neumann_entropy, exergy_decomposition(...).relative_entropy, ergotropy, exergy "
            "on the numpy input",
            {"S": lambda e: von_neumann_entropy(_float_inputs(e)[0]),
             "D": lambda e: exergy_decomposition(*_float_inputs(e)).relative_entropy,
             "ergotropy": lambda e: ergotropy(*_float_inputs(e)),
             "exergy": lambda e: exergy(*_float_inputs(e))}),
        f"symthermo dps {dps}": (
            f"the same functions with dps={dps} on the exact decimal strings",
            {"S": lambda e: von_neumann_entropy(text(e), dps=dps),
             "D": lambda e: exergy_decomposition(text(e), H_text, dps=dps).relative_entropy,
             "ergotropy": lambda e: ergotropy(text(e), H_text, dps=dps),
             "exergy": lambda e: exergy(text(e), H_text, dps=dps)}),
    }
    if ctx.qutip is not None:
        qt = ctx.qutip
        tools["QuTiP"] = (
            "entropy_vn; entropy_relative(rho, sigma) with sigma the float64 rounding of the "
            "exact w(beta*) (QuTiP has no entropy-matched thermal state); no equivalent: "
            "ergotropy, exergy",
            {"S": lambda e: qt.entropy_vn(qt.Qobj(_float_inputs(e)[0])),
             "D": lambda e: qt.entropy_relative(qt.Qobj(_float_inputs(e)[0]),
                                                qt.Qobj(np.diag(_SIGMA64[e])))})
    if ctx.qthermo is not None:
        qth = ctx.qthermo
        from qthermo.batteries import asymptotic_ergotropy

        tools["qthermo"] = (
            "von_neumann_entropy, ergotropy, batteries.asymptotic_ergotropy (= exergy); "
            "no equivalent: relative entropy",
            {"S": lambda e: qth.von_neumann_entropy(_float_inputs(e)[0]),
             "ergotropy": lambda e: qth.ergotropy(*_float_inputs(e)),
             "exergy": lambda e: asymptotic_ergotropy(*_float_inputs(e))})
    return tools


#: e -> float64 w(beta*), filled by run() from the references
_SIGMA64 = {}


def run(ctx):
    cases = epsilons(ctx.quick)
    labels = [f"e={e}" for e in cases]
    ctx.log(f"problem 4: references at dps {REF_DPS} for e = {', '.join(cases)}")
    refs = [reference(e) for e in cases]
    bound = [reference(e, float_input=True) for e in cases]
    for e, r in zip(cases, refs):
        _SIGMA64[e] = [float(x) for x in r["w"]]
    # what the float64 rounding of rho and of the given sigma alone allow for QuTiP's D
    with mpmath.workdps(REF_DPS + 40):
        d_given = [tb.relative_entropy(mpmath.diag([mpmath.mpf(x) for x in np.diag(_float_inputs(e)[0])]),
                                       mpmath.diag([mpmath.mpf(x) for x in _SIGMA64[e]]))
                   for e in cases]
    cap = REF_DPS
    tools = _tool_functions(ctx)
    rows = []
    for q in QUANTITIES:
        problem = f"{NAME}: {q}"
        ref_col = {q: [r[q] for r in refs]}

        def scored(values):
            return score({q: values}, ref_col, (q,), cap=cap, floor_rel=0, zero=0, labels=labels)

        def shown(values):
            return {lab: mpmath.nstr(mpmath.mpmathify(v), 20) for lab, v in zip(labels, values)}

        for name, (note, fns) in tools.items():
            if q not in fns:
                continue
            fn = fns[q]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, values = timed(lambda: [fn(e) for e in cases], ctx)
            rows.append(result(problem, name, time_s=t, scored=scored(values), keys=(q,),
                               values=shown(values), note=note if q == QUANTITIES[0] or
                               name.startswith("QuTiP") and q == "D" else ""))
        rows.append(result(problem, "float64 input, exact arithmetic (bound)", status="bound",
                           scored=scored([b[q] for b in bound]), keys=(q,),
                           values=shown([b[q] for b in bound]),
                           note="the textbook formulas evaluated exactly on numpy.diag([1.0 - e, e, 0.0]) "
                                "(and its own w(beta*)): what the rounding of the input alone leaves "
                                "to any float64 tool" if q == QUANTITIES[0] else ""))
        if q == "D" and "QuTiP" in tools:
            rows.append(result(problem, "float64 rho and sigma, exact arithmetic (bound for QuTiP)",
                               status="bound", scored=scored(d_given), keys=(q,),
                               values=shown(d_given),
                               note="D(rho64 || sigma64) exactly: the bound for a tool given sigma"))
        rows += missing_rows(problem, ctx, ["qutip"] if q in ("S", "D") else [],
                             "entropy_vn / entropy_relative")
        rows += missing_rows(problem, ctx, ["qthermo"] if q != "D" else [],
                             "von_neumann_entropy / ergotropy / asymptotic_ergotropy")
        ref_json = {lab: mpmath.nstr(r[q], 25) for lab, r in zip(labels, refs)}
        for r in rows:
            if r["problem"] == problem:
                r["reference"] = {"method": f"textbook mpmath at dps {REF_DPS} (+40 working digits)",
                                  "cap": cap, "values": ref_json}
    return rows
