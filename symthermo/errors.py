"""The library's own exceptions.

Wrong input raises the built-in ``ValueError`` or ``TypeError`` with a
message that quotes the offending value.  The classes here are for the
limits of the library and of the physics it implements; the command line
turns all of them into one ``error:`` line.
"""

__all__ = ["SymthermoError", "DegenerateGroundError", "CrossCheckError", "PrecisionError"]


class SymthermoError(Exception):
    """Base class of symthermo's own errors."""


class DegenerateGroundError(SymthermoError, ValueError):
    """No thermal state of H has the requested entropy.

    For a Hamiltonian whose ground level is g0-fold degenerate, the entropy
    of exp(-beta H)/Z decreases from ln d (beta = 0) to ln g0 (beta -> inf),
    so a state with entropy below ln g0 has no entropy-matched temperature
    (Elouard & Latune's reply, SL26 ref. [30]).
    """


class CrossCheckError(SymthermoError):
    """Two independent routes to the same number disagree."""


class PrecisionError(CrossCheckError):
    """The requested digits could not be certified: two working precisions keep disagreeing."""


class InternalStateError(CrossCheckError, ArithmeticError):
    """A state the code computed itself (propagated, reduced) fails its own error bound.

    Never bad input: the input was checked when it was read, so this is a
    failure of the code or of the precision it worked at (exit code 1).
    """


__all__ += ["InternalStateError"]
