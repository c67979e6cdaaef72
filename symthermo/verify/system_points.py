"""A random system at one time (:class:`SystemPoint`): the papers' names bound to the core's numbers.

``S_A(t)``, ``Q(j, t)``, ``w_B(beta)``, ``rho_A(t)``, ``D(X, Y)``,
``Tr_B(X)``, ... are bound to the ledger rows
(:func:`symthermo.ledger.ledger_rows`, which uses
:func:`symthermo.propagator.evolve`), the laws, the frameworks and the
ergotropy module.
"""

from __future__ import annotations

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from ..numbers import MPMATH
from .agreement import _real
from .cache import entropy_of, relative_entropy_of
from .expressions import Unbound, value
from .operators import Op
from .points import Point
from .trajectories import Trajectory

__all__ = ["SystemPoint"]


def _time_arg(expr, point, k=-1):
    return _real(value(expr.args[k], point))


def _name_of(point, index):
    names = point.space.names
    if isinstance(index, str):
        return index
    k = int(index)
    if not 1 <= k <= len(names):
        raise Unbound(f"subsystem index {k} outside 1..{len(names)}")
    return names[k - 1]


def _index_arg(expr, point, k=0):
    arg = expr.args[k]
    if isinstance(arg, sympy.Symbol) and str(arg) in point.space.names:
        return str(arg)
    return _name_of(point, value(arg, point))


class SystemPoint(Point):
    """A random system at one time, in one sign convention (``received`` or ``provided``).

    Named quantities (``S_A(t)``, ``Q(j, t)``, ``w_B(beta)``, ``rho_A(t)``,
    ``D(X, Y)``, ``Tr_B(X)``, ...) are bound to the core's numbers: the ledger
    rows (:func:`symthermo.ledger.ledger_rows`), the laws
    (:mod:`symthermo.laws`), the frameworks (:mod:`symthermo.frameworks`) and
    the ergotropy module.
    """

    def __init__(self, traj: Trajectory, t, *, convention, symbols=None, functions=None,
                 t_label=None, extra_params=None):
        self.traj = traj
        self.space = traj.system.space
        self.convention = convention
        sign = 1 if convention == "received" else -1
        self.sign = sign
        from ..papers import symbols as P

        t = mpmath.mpf(t)
        base_symbols = {P.t: t}
        names = self.space.names
        row0 = traj.row(mpmath.mpf(0))
        for n, sym in (("A", P.beta_A0), ("B", P.beta_B0)):
            if n in names:
                base_symbols[sym] = row0[f"beta_{n}"]
        if traj.system.bath_beta is not None:
            base_symbols[P.beta_B_bare] = traj.system.bath_beta
        ops = {P.H_A: "A", P.H_B: "B"}
        for s, n in ops.items():
            if n in names:
                base_symbols[s] = Op(traj.system.H[n], (n,), self.space)
        V = Op(traj.system.V, names, self.space)
        base_symbols[P.V] = V
        base_symbols[P.V_AB] = V
        base_symbols[P.H_tot] = Op(traj.system.H_total, names, self.space)
        base_symbols[P.N] = len(names)
        base_symbols.update(symbols or {})
        params = dict(traj.system.params)
        params.update(extra_params or {})
        super().__init__(params=params, t_label=t_label, symbols=base_symbols,
                         t=t, time_symbol=P.t)
        self.functions = _system_functions(self)
        self.functions.update(functions or {})
        self.derivatives = _system_derivatives(self)
        self._extra_functions = dict(functions or {})
        self._extra_symbols = dict(symbols or {})
        self._extra_params = dict(extra_params or {})
        self.upper = {sympy.oo: len(names)}

    def at(self, s):
        s = mpmath.mpf(s)
        symbols = dict(self._extra_symbols)
        return SystemPoint(self.traj, s, convention=self.convention, symbols=symbols,
                           functions=self._extra_functions, extra_params=self._extra_params)

    # -- shorthands used by the handlers ---------------------------------------
    def row(self, s):
        return self.traj.row(s)

    def local(self, name, s):
        row = self.traj.row(s)
        return row["_internal"]["qt"][name]

    def joint(self, s):
        return self.traj.state(s)

    def reduced(self, name, s):
        return self.joint(s).partial_trace([n for n in self.space.names if n != name])

    def H_op(self, name):
        return Op(self.traj.system.H[name], (name,), self.space)

    def thermal(self, name, beta):
        if isinstance(beta, Op):
            raise TypeError("beta must be a number")
        return Op(self.traj.thermal(name, beta), (name,), self.space)

    def subsystem(self, name):
        return self.row(self.t)["_internal"]["subsystems"][name]

    def joint_derivative(self, s):
        from ..frameworks import state_derivative

        rho = self.joint(s)
        return Op(state_derivative(rho.m, self.traj.system.H_total, lib=MPMATH),
                  self.space.names, self.space)


def _q(key):
    """Handler for a quantity of a fixed subsystem: f(t) -> the row's key at that time."""

    def handler(expr, pt):
        return pt.row(_time_arg(expr, pt))[key]

    return handler


def _local_key(key):
    """Handler for f(j, t): subsystem j's key at time t."""

    def handler(expr, pt):
        name = _index_arg(expr, pt)
        return pt.row(_time_arg(expr, pt))[f"{key}_{name}"]

    return handler


def _signed_key(key):
    def handler(expr, pt):
        name = _index_arg(expr, pt)
        s = _time_arg(expr, pt)
        received = pt.row(s)[f"{key}_{name}"]
        return pt.sign * received

    return handler


def _signed_fixed(key):
    def handler(expr, pt):
        return pt.sign * pt.row(_time_arg(expr, pt))[key]

    return handler


def _system_functions(pt):
    from ..papers import symbols as P

    names = pt.space.names
    f = {}
    # fixed-subsystem quantities (EL23 and SL26 names); the rows are received
    for n in names:
        if n not in ("A", "B"):
            continue
        f[getattr(P, f"S_{n}")] = _q(f"S_{n}")
        f[getattr(P, f"E_{n}")] = _q(f"E_{n}")
        f[getattr(P, f"U_{n}")] = _q(f"E_{n}")
        f[getattr(P, f"Eth_{n}")] = _q(f"Eth_{n}")
        f[getattr(P, f"Q_{n}")] = _signed_fixed(f"Q_{n}")
        f[getattr(P, f"W_{n}")] = _signed_fixed(f"W_{n}")
        f[getattr(P, f"beta_{n}_t")] = _q(f"beta_{n}")
        f[getattr(P, f"erg_{n}")] = _q(f"ergotropy_{n}")
        f[getattr(P, f"rho_{n}")] = (lambda n: lambda e, p: p.reduced(n, _time_arg(e, p)))(n)
        f[getattr(P, f"w_{n}")] = (lambda n: lambda e, p: p.thermal(n, _real(value(e.args[0], p))))(n)
    if "B" in names:
        f[P.pi_B] = lambda e, p: _passive(p, "B", _time_arg(e, p))
    if len(names) == 2:
        f[P.I_AB] = _q("I_AB")
        f[P.sigma_A] = _q("sigma_A")
        f[P.sigma_B] = _q("sigma_B")
    else:
        f[P.I_tot] = _q("I_tot")
    f[P.I_tot] = _q("I_AB" if len(names) == 2 else "I_tot")
    f[P.E_int] = _q("E_int")
    f[P.W_dr] = lambda e, p: mpmath.mpf(0)  # autonomous: no external drive
    f[P.F_A_at] = lambda e, p: (p.row(_time_arg(e, p))["E_A"]
                                - p.row(_time_arg(e, p))["S_A"] / _real(value(e.args[0], p)))
    # generic-index quantities
    f[P.S] = _local_key("S")
    f[P.U] = _local_key("E")
    f[P.Eth] = _local_key("Eth")
    f[P.Uth] = _local_key("Eth")
    f[P.Q] = _signed_key("Q")
    f[P.W] = _signed_key("W")
    f[P.beta_gen] = _local_key("beta")
    f[P.erg] = _local_key("ergotropy")
    f[P.Xi] = _local_key("exergy")
    f[P.sigma_gen] = _local_key("sigma")
    f[P.r_gen] = lambda e, p: _bloch(p, _index_arg(e, p), _time_arg(e, p))[0]
    f[P.z_gen] = lambda e, p: _bloch(p, _index_arg(e, p), _time_arg(e, p))[1]
    f[P.Z] = lambda e, p: _partition(p, _index_arg(e, p), _time_arg(e, p))
    # states and operators
    f[P.rho_gen] = lambda e, p: p.reduced(_index_arg(e, p), _time_arg(e, p))
    for F in (P.rho_AB, P.rho_tot, P.rho_glob):
        f[F] = lambda e, p: p.joint(_time_arg(e, p))
    f[P.w_gen] = lambda e, p: p.thermal(_index_arg(e, p), _real(value(e.args[1], p)))
    f[P.rho_th] = lambda e, p: p.thermal(
        _index_arg(e, p), p.row(_time_arg(e, p))[f"beta_{_index_arg(e, p)}"])
    f[P.pi_gen] = lambda e, p: _passive(p, _index_arg(e, p), _time_arg(e, p))
    f[P.Hcal_j] = lambda e, p: p.H_op(_index_arg(e, p))
    f[P.H_A_eff] = lambda e, p: _effective(p, _time_arg(e, p))[0]
    f[P.H_B_eff] = lambda e, p: _effective(p, _time_arg(e, p))[1]
    f[P.calH] = lambda e, p: _drive(p, _index_arg(e, p), _time_arg(e, p))
    f[P.chi] = lambda e, p: _correlations(p, _time_arg(e, p))
    f[P.V_AB_t] = lambda e, p: p.symbol(P.V)
    f[P.Otimes] = _otimes
    f[P.TP] = _tensor_product
    f[P.Comm] = lambda e, p: _comm(value(e.args[0], p), value(e.args[1], p), -1)
    f[P.AntiComm] = lambda e, p: _comm(value(e.args[0], p), value(e.args[1], p), 1)
    # functionals
    f[P.Tr] = _trace
    f[P.Tr_A] = lambda e, p: value(e.args[0], p).partial_trace(["A"])
    f[P.Tr_B] = lambda e, p: value(e.args[0], p).partial_trace(["B"])
    f[P.S_vN] = lambda e, p: entropy_of(value(e.args[0], p))
    f[P.D] = lambda e, p: relative_entropy_of(value(e.args[0], p), value(e.args[1], p))
    f["integral"] = _heat_integral
    return f


def _comm(x, y, sign):
    return x * y + sign * (y * x)


def _tensor_product(expr, pt):
    """X (x) Y with X on the first factors and Y on the next, whatever their own labels."""
    x, y = value(expr.args[0], pt), value(expr.args[1], pt)
    if not (isinstance(x, Op) and isinstance(y, Op)):
        return x * y
    space = pt.space
    names = []
    total = x.m.rows * y.m.rows
    for n, d in zip(space.names, space.dims):
        names.append(n)
        if space.dim(names) == total:
            break
    out = Op(MPMATH.kron(x.m, y.m), tuple(names), space)
    return out


def _trace(expr, pt):
    v = value(expr.args[0], pt)
    return v.trace() if isinstance(v, Op) else v


def _otimes(expr, pt):
    body, var, lo, hi = expr.args
    out = None
    for n in range(int(value(lo, pt)), pt.upper_limit(hi) + 1):
        v = value(body, pt.bind({var: n}))
        out = v if out is None else out * v
    return out


def _passive(pt, name, s):
    from ..ergotropy import passive_state

    rho = pt.reduced(name, s)
    return Op(passive_state(rho.m, pt.traj.system.H[name]), (name,), pt.space)


def _bloch(pt, name, s):
    """(r, z) of a qubit: Bloch-vector length and Tr[sigma_z rho] in H's eigenbasis (z = p_up - p_down)."""
    rho = pt.reduced(name, s)
    if rho.m.rows != 2:
        raise Unbound("Bloch parameters of a subsystem that is not a qubit")
    E, Q = mpmath.eighe(pt.traj.system.H[name])
    R = Q.transpose_conj() * rho.m * Q  # in the energy basis (ground, excited)
    z = _real(R[1, 1] - R[0, 0])
    r = mpmath.sqrt(z ** 2 + 4 * abs(R[0, 1]) ** 2)
    return r, z


def _partition(pt, name, s):
    beta = pt.row(s)[f"beta_{name}"]
    H = pt.H_op(name)
    return H.hermitian_function(lambda e: mpmath.exp(-beta * e)).trace()


def _effective(pt, s):
    from ..frameworks import effective_hamiltonians

    names = pt.space.names
    rho_A, rho_B = pt.reduced(names[0], s), pt.reduced(names[1], s)
    HA, HB = effective_hamiltonians(rho_A.m, rho_B.m, pt.traj.system.H[names[0]],
                                    pt.traj.system.H[names[1]], pt.traj.system.V, lib=MPMATH)
    return Op(HA, (names[0],), pt.space), Op(HB, (names[1],), pt.space)


def _drive(pt, name, s):
    HA, HB = _effective(pt, s)
    return HA - pt.H_op("A") if name == "A" else HB - pt.H_op("B")


def _correlations(pt, s):
    rho = pt.joint(s)
    names = pt.space.names
    prod = pt.reduced(names[0], s) * pt.reduced(names[1], s)
    return rho - prod


def _heat_integral(expr, pt):
    r"""int_0^t dt' beta_i(t') dQ_i(t')/dt' for the thermal energy of subsystem i.

    Q_i changes only through E^th_i(beta_i), so the integral is the line
    integral int beta dE^th(beta) from beta_i(0) to beta_i(t), path
    independent: computed by quadrature in beta with the core's thermal
    moments (dE^th/dbeta = -Var_beta(H)); it does not use dS = beta dE^th.
    """
    from ..papers import symbols as P
    from ..thermal_functions import _thermal_moments

    (var, lo, hi), = expr.limits
    integrand = expr.function
    if isinstance(integrand, sympy.Sum):
        inner = integrand.function
        (ivar, ilo, ihi), = integrand.limits
        total = mpmath.mpf(0)
        for n in range(int(value(ilo, pt)), pt.upper_limit(ihi) + 1):
            total += _heat_integral(sympy.Integral(inner, (var, lo, hi)), pt.bind({ivar: n}))
        return total
    if isinstance(integrand, sympy.Mul) and any(isinstance(a, sympy.KroneckerDelta) or
                                                 a.is_number for a in integrand.args):
        factor = mpmath.mpf(1)
        rest = []
        for a in integrand.args:
            if a.has(var):
                rest.append(a)
            else:
                factor *= value(a, pt)
        if factor == 0:
            return factor
        return factor * _heat_integral(sympy.Integral(sympy.Mul(*rest), (var, lo, hi)), pt)
    betas = [a for a in integrand.args if isinstance(a, AppliedUndef) and a.func is P.beta_gen]
    ders = [a for a in integrand.args if isinstance(a, sympy.Derivative)
            and isinstance(a.expr, AppliedUndef) and a.expr.func is P.Q]
    if len(betas) != 1 or len(ders) != 1 or len(integrand.args) != 2:
        raise Unbound(f"an integral of {integrand}")
    name = _index_arg(betas[0], pt)
    if name != _index_arg(ders[0].expr, pt):
        raise Unbound("beta and Q of different subsystems")
    b0 = pt.row(_real(value(lo, pt)))[f"beta_{name}"]
    b1 = pt.row(_real(value(hi, pt)))[f"beta_{name}"]
    key = ("heat-integral", name, pt.traj._key(b0), pt.traj._key(b1))
    cache = pt.traj._thermal
    if key not in cache:
        levels = pt.subsystem(name).levels

        def integrand_beta(b):
            _, var_, _ = _thermal_moments(MPMATH, levels, b)
            return b * (-var_)  # beta dE/dbeta

        # 1e-20 is asked of the comparison: the quadrature runs at 28 digits
        with mpmath.workdps(28):
            q = mpmath.quad(integrand_beta, [b0, b1])
        cache[key] = +q
    return pt.sign * cache[key]


def _system_derivatives(pt):
    """Exact time derivatives: d rho/dt is the generator applied to rho (no finite difference)."""
    from ..papers import symbols as P

    d = {}

    def joint_dot(e, p):
        return p.joint_derivative(_time_arg(e, p))

    for F in (P.rho_AB, P.rho_tot, P.rho_glob):
        d[F] = joint_dot

    def reduced_dot(name):
        def h(e, p):
            s = _time_arg(e, p)
            return p.joint_derivative(s).partial_trace([n for n in p.space.names if n != name])
        return h

    for n in pt.space.names:
        if n in ("A", "B"):
            d[getattr(P, f"rho_{n}")] = reduced_dot(n)
    d[P.rho_gen] = lambda e, p: reduced_dot(_index_arg(e, p))(e, p)

    def eff_dot(e, p):
        from ..frameworks import effective_hamiltonians

        s = _time_arg(e, p)
        names = p.space.names
        dA = reduced_dot(names[0])(e, p)
        dB = reduced_dot(names[1])(e, p)
        zero_A = mpmath.zeros(p.space.dims[0])
        zero_B = mpmath.zeros(p.space.dims[1])
        HA, HB = effective_hamiltonians(dA.m, dB.m, zero_A, zero_B, p.traj.system.V, lib=MPMATH)
        return Op(HA, (names[0],), p.space), Op(HB, (names[1],), p.space)

    d[P.H_A_eff] = lambda e, p: eff_dot(e, p)[0]
    d[P.H_B_eff] = lambda e, p: eff_dot(e, p)[1]

    def energy_dot(name_of):
        def h(e, p):
            name = name_of(e, p)
            s = _time_arg(e, p)
            rdot = reduced_dot(name)(e, p)
            return _real((p.H_op(name) * rdot).trace())
        return h

    for n in pt.space.names:
        if n in ("A", "B"):
            d[getattr(P, f"U_{n}")] = energy_dot(lambda e, p, n=n: n)
            d[getattr(P, f"E_{n}")] = energy_dot(lambda e, p, n=n: n)
    d[P.U] = energy_dot(lambda e, p: _index_arg(e, p))
    d[P.E_int] = lambda e, p: _real((p.joint_derivative(_time_arg(e, p)) * p.symbol(P.V)).trace())

    def rates(e, p):
        from ..frameworks import mca_rates, standard_rates

        s = _time_arg(e, p)
        names = p.space.names
        rho = p.joint(s).m
        sys = p.traj.system
        return (standard_rates(rho, sys.H[names[0]], sys.H[names[1]], sys.V, lib=MPMATH),
                mca_rates(rho, sys.H[names[0]], sys.H[names[1]], sys.V, lib=MPMATH))

    # the standard and MCA rates are received (the frameworks' own convention)
    d[P.W_A_st] = lambda e, p: _real(rates(e, p)[0]["W_st_rate"])
    d[P.W_st] = d[P.W_A_st]
    d[P.Q_A_st] = lambda e, p: _real(rates(e, p)[0]["Q_st_rate"])
    d[P.Q_st] = d[P.Q_A_st]
    d[P.W_MCA] = lambda e, p: _real(rates(e, p)[1][f"W_{_index_arg(e, p)}"])
    d[P.Q_MCA] = lambda e, p: _real(rates(e, p)[1][f"Q_{_index_arg(e, p)}"])
    return d
