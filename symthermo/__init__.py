"""symthermo: thermodynamics of autonomous quantum systems, exactly and at any precision."""

__version__ = "0.1.0"
