"""Density matrices propagated numerically: the independent route.

Every closed form of symthermo is checked against this module, so it shares
no formula with them: it only builds a generator (the Hamiltonian, or the
Lindblad superoperator) and exponentiates it.

The master equation is

    d rho/dt = -i [H, rho]
               + sum_k rate_k (L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho}),

with hbar = 1.  Two number systems are offered:

- ``dps=None``: float64/complex128 (numpy, ``scipy.linalg.expm``); the
  results are numpy arrays.
- ``dps=N``: mpmath at N significant digits.  The work is done inside
  ``mpmath.workdps`` with guard digits, ``mpmath.mp.dps`` is left as it was
  found, and the results are ``mpmath.matrix`` objects rounded to N digits.

Matrices may be numpy arrays, ``mpmath.matrix``, SymPy matrices, or nested
lists of numbers and strings; strings such as ``"1/3"``, ``"2.5e-3"``,
``"0.2+0.1j"``, ``"-j"``, ``"1/3*j"`` or ``"sqrt(2)/2"`` are read exactly by
the grammar of :mod:`symthermo.expressions` (``"1/3j"`` is refused as
ambiguous), and binary floats by their exact binary value.

Its parts: :mod:`symthermo.propagator_input` (what it reads, and the checks
of rho(t)), :mod:`symthermo.propagator_unitary`, :mod:`symthermo.propagator_generator`
(the Lindblad superoperator), :mod:`symthermo.propagator_lindblad` and
:mod:`symthermo.block_diagonalisation` (G = S D S^-1 at high precision).

>>> import numpy as np
>>> from symthermo.propagator import evolve
>>> H = [[1, 0], [0, -1]]
>>> plus = [["1/2", "1/2"], ["1/2", "1/2"]]
>>> rho = evolve(H, plus, [np.pi / 4])[0]
>>> np.round(rho, 12)
array([[0.5+0.j , 0. -0.5j],
       [0. +0.5j, 0.5+0.j ]])
"""

from __future__ import annotations

from .precision import precision_held
from .propagator_lindblad import lindblad_evolution
from .propagator_unitary import unitary_evolution

__all__ = ["evolve"]


@precision_held()  # mpmath's precision is process-wide
def evolve(H, rho0, times, *, lindblad=(), dps=None, state_tolerance=None):
    """Density matrices rho(t) for each t in times under the master equation.

    d rho/dt = -i[H, rho] + sum_k rate_k (L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho}).
    Without Lindblad terms this is :func:`unitary_evolution`, otherwise
    :func:`lindblad_evolution`; both only build the generator and
    exponentiate it, sharing no formula with the closed forms.

    Parameters
    ----------
    H : matrix
        Hermitian d x d Hamiltonian: numpy array, ``mpmath.matrix``, SymPy
        Matrix, or nested list of numbers or strings such as ``"1/3"`` and
        ``"0.2+0.1j"``.
    rho0 : matrix
        Initial density matrix, d x d, in the same forms.
    times : sequence of real numbers
        Non-negative times (float, int, str, ``mpf``, SymPy number).
    lindblad : sequence of (rate, L) pairs, keyword-only
        Non-negative rates (number or string) and d x d jump operators;
        empty (or None) for unitary evolution.
    dps : int or None, keyword-only
        None: float64, results are complex128 numpy arrays.  N: mpmath at
        N significant digits (with guard digits inside ``mpmath.workdps``;
        ``mpmath.mp.dps`` is left unchanged), results are ``mpmath.matrix``.
    state_tolerance : number, optional, keyword-only
        The tolerance of the checks on rho0 (Hermiticity, trace, positivity),
        for a caller that knows the precision of its state (a state built
        from float64 input and evolved at ``dps``); by default it follows
        the precision of rho0's entries and of ``dps``.

    Returns
    -------
    list
        rho(t) for each time, in the order given.

    Raises
    ------
    ValueError
        For invalid input; the message quotes the offending value.

    Examples
    --------
    >>> import numpy as np
    >>> from symthermo.propagator import evolve
    >>> sm = np.array([[0, 0], [1, 0]])           # decay |e> (index 0) -> |g>
    >>> rhos = evolve(np.zeros((2, 2)), [[1, 0], [0, 0]], [0, 1, 2], lindblad=[(0.5, sm)])
    >>> [round(float(r[0, 0].real), 12) for r in rhos]
    [1.0, 0.606530659713, 0.367879441171]
    >>> bool(np.isclose(rhos[2][0, 0].real, np.exp(-1)))
    True
    """
    if lindblad is None:
        lindblad = ()
    if isinstance(lindblad, (str, bytes)) or not hasattr(lindblad, "__iter__"):
        raise TypeError(f"lindblad must be a sequence of (rate, L) pairs, got {lindblad!r}")
    terms = list(lindblad)
    if not terms:
        return unitary_evolution(H, rho0, times, dps=dps, state_tolerance=state_tolerance)
    return lindblad_evolution(H, rho0, times, lindblad=terms, dps=dps,
                              state_tolerance=state_tolerance)
