"""Closed-system evolution for the propagator: rho(t) = U(t) rho0 U(t)^dag with
U(t) = exp(-i H t), H diagonalised once (numpy at float64, mpmath at ``dps``)."""

from __future__ import annotations

import numpy as np

from .lazy import lazy_import
from .precision import precision_held
from .propagator_input import (_GUARD_DIGITS, _check_dps, _extra_digits, _finish, _maxabs,
                               _read_hamiltonian, _read_state, _read_times, _trace)

mpmath = lazy_import("mpmath")

__all__ = ["unitary_evolution"]


@precision_held()  # mpmath's precision is process-wide
def unitary_evolution(H, rho0, times, *, dps=None, state_tolerance=None):
    """Density matrices U(t) rho0 U(t)^dag with U(t) = exp(-i H t).

    H is diagonalised once, H = V diag(E) V^dag (``numpy.linalg.eigh``, or
    ``mpmath.eigh`` at ``dps`` digits plus guard digits), and
    U(t) = V diag(exp(-i E t)) V^dag for each time.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian (numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"``).
    rho0 : matrix
        Initial density matrix, d x d, Hermitian, unit trace, positive
        semidefinite.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    dps : int or None, keyword-only
        None for float64; otherwise mpmath at ``dps`` significant digits.

    Returns
    -------
    list
        rho(t) for each time, as complex128 arrays (``dps=None``) or
        ``mpmath.matrix`` rounded to ``dps`` digits.

    Raises
    ------
    ValueError
        For a non-Hermitian H, an invalid rho0, or a negative or non-real
        time; the message quotes the offending value.

    Examples
    --------
    >>> import mpmath
    >>> from symthermo.propagator_unitary import unitary_evolution
    >>> H = [[0, 1], [1, 0]]                      # sigma_x: Rabi flop
    >>> rho = unitary_evolution(H, [[1, 0], [0, 0]], ["1/2"], dps=30)[0]
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(rho[0, 0], 25), mpmath.nstr(mpmath.cos(0.5)**2, 25))
    0.7701511529340698587004683 0.7701511529340698587004683
    """
    if dps is None:
        Hm = _read_hamiltonian(H, None)
        rho = _read_state(rho0, Hm.shape[0], None, state_tolerance)
        ts = np.asarray(_read_times(times, None), dtype=float)
        if ts.size == 0:
            return []
        E, V = np.linalg.eigh(Hm)
        phases = np.exp(-1j * np.outer(ts, E))  # (n_times, d)
        U = (V[None, :, :] * phases[:, None, :]) @ V.conj().T
        rhos = U @ rho @ np.conj(np.transpose(U, (0, 2, 1)))
        tr0 = np.trace(rho)
        return [_finish(r, tr0, None) for r in rhos]

    dps = _check_dps(dps)
    wdps = dps + _GUARD_DIGITS
    with mpmath.workdps(wdps):
        Hm = _read_hamiltonian(H, dps)
        ts = _read_times(times, dps)
        extra = _extra_digits(_maxabs(Hm) * Hm.rows * max(ts, default=0))
    with mpmath.workdps(wdps + extra):
        if extra:  # read again, so that strings keep the extra digits
            Hm = _read_hamiltonian(H, dps)
            ts = _read_times(times, dps)
        rho = _read_state(rho0, Hm.rows, dps, state_tolerance)
        tr0 = _trace(rho)
        E, V = mpmath.eigh(Hm)
        Vh = V.H
        d = Hm.rows
        out = []
        for t in ts:
            VP = V.copy()
            for j in range(d):
                phase = mpmath.expj(-E[j] * t)
                for i in range(d):
                    VP[i, j] *= phase
            U = VP * Vh
            out.append(_finish(U * rho * U.H, tr0, dps))
        return out
