"""The compiled-forms cache: equal to a fresh derivation, rebuilt (never
trusted) when anything it depends on changes or its file is damaged; the
plain-number readers and the float formatting agree with the SymPy and
mpmath routes they replace."""

import os
import random
import struct
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

from symthermo import compiled
from symthermo.expressions import parse_expression
from symthermo.compiled import (NumericParams, Unserialisable, from_source, plain_parameters,
                                to_source)
from symthermo.models import get_model
from symthermo.models.base import T
from symthermo.numbers import FLOAT64
from symthermo.plain import plain_number, plain_times
from symthermo.precision import decimal_string, decimal_strings
from symthermo.tables import parse_times, reference_payload, time_values


def _fresh():
    """A new model instance and an empty memory layer: only the disk remains."""
    compiled._MEMORY.clear()
    return get_model("refrigerator")


def _random_params(rng):
    return {
        "omega_A": str(rng.choice([1, 0.7, 1.3, 2])),
        "omega_B": f"{rng.uniform(0.5, 3):.4f}",
        "g": f"{rng.uniform(0.05, 2):.3f}",
        "beta_A": f"{rng.uniform(0.2, 3):.2f}",
        "beta_B": f"{rng.uniform(0.2, 3):.2f}",
    }


class TestCompiledEqualsDerivation:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_cached_rows_match_the_exact_closed_forms(self, compiled_cache, seed):
        rng = random.Random(seed)
        given = [f"{k}={v}" for k, v in _random_params(rng).items()]
        times = sorted(rng.uniform(0, 20) for _ in range(5))
        model = _fresh()
        p = plain_parameters(model, given)
        first = model.evaluate(p, times, lib=FLOAT64)  # a miss: derived and stored
        assert any(compiled_cache.iterdir())
        model = _fresh()
        p = plain_parameters(model, given)
        again = model.evaluate(p, times, lib=FLOAT64)  # from the disk
        assert again == first  # bit for bit
        # a fresh derivation: SymPy's closed forms evaluated exactly at each time
        exact_p = get_model("refrigerator").params(given)
        forms = get_model("refrigerator").closed_forms(exact_p)
        exprs = {"E_int": forms.interaction_energy, "z_A": forms.extras["z_A"],
                 "z_B": forms.extras["z_B"], "E_A": forms.subsystems["A"].energy,
                 "Eth_B": forms.subsystems["B"].thermal_energy}
        for row, t in zip(again, times):
            for key, expr in exprs.items():
                exact = expr.subs(T, sympy.Rational(t)).evalf(30)
                scale = max(abs(float(exact)), 1e-3)
                assert abs(row[key] - float(exact)) <= 1e-13 * scale, (key, t, row[key], exact)

    def test_same_as_the_sympy_route_of_the_payload(self, compiled_cache):
        model = get_model("refrigerator")
        fast = reference_payload(model, ["g=0.5"], "0:7:50", float64=True)
        # a SymPy value is not a plain number: the general route, no cache
        slow = reference_payload(get_model("refrigerator"), {"g": sympy.Rational(1, 2)},
                                 [str(sympy.Rational(7 * k, 49)) for k in range(50)],
                                 float64=True)
        assert fast == slow


class TestRebuiltNotTrusted:
    def _run(self, given=("g=0.75",)):
        calls = []
        model = _fresh()
        original = type(model)._compiled

        def counting(self, p, lib):
            calls.append(lib.name)
            return original(self, p, lib)

        type(model)._compiled = counting
        try:
            rows = model.evaluate(plain_parameters(model, list(given)), [0.5, 1.5], lib=FLOAT64)
        finally:
            type(model)._compiled = original
        return rows, calls

    def test_a_hit_does_not_derive(self, compiled_cache):
        first, calls = self._run()
        assert calls  # derived the first time
        again, calls = self._run()
        assert calls == [] and again == first

    @pytest.mark.parametrize("change", ["sympy_version", "source_hash"])
    def test_a_new_sympy_or_model_source_is_a_miss(self, compiled_cache, monkeypatch, change):
        first, _ = self._run()
        monkeypatch.setattr(compiled, change, lambda: "changed-for-the-test")
        again, calls = self._run()
        assert calls and again == first
        assert len(list(compiled_cache.glob("*.py"))) == 4  # two entries per key, old ones left

    def test_a_new_format_is_a_miss(self, compiled_cache, monkeypatch):
        self._run()
        monkeypatch.setattr(compiled, "FORMAT", compiled.FORMAT + 1)
        _, calls = self._run()
        assert calls

    @pytest.mark.parametrize("damage", ["truncate", "body", "hash", "key", "raises", "binary"])
    def test_a_damaged_file_is_rebuilt(self, compiled_cache, damage):
        first, _ = self._run()
        for path in compiled_cache.glob("*.py"):
            text = path.read_text()
            head, _, body = text.partition("# end of header\n")
            if damage == "truncate":
                text = text[: len(text) // 2]
            elif damage == "body":
                text = head + "# end of header\n" + body.replace("VALUE = ", "VALUE = 2 * ")
            elif damage == "hash":
                text = text.replace("# sha256: ", "# sha256: 0")
            elif damage == "key":  # a consistent file under another key
                lines = head.split("\n")
                lines[1] = lines[1].replace('"python"', '"pithon"')
                text = "\n".join(lines) + "# end of header\n" + body
            elif damage == "raises":  # valid header, body that fails: still not trusted
                import hashlib

                body = "VALUE = 1 / 0\n"
                lines = head.split("\n")
                lines[2] = "# sha256: " + hashlib.sha256(body.encode()).hexdigest()
                text = "\n".join(lines) + "# end of header\n" + body
            elif damage == "binary":
                path.write_bytes(b"\xff\xfe\x00garbage")
                continue
            path.write_text(text)
        again, calls = self._run()
        assert calls and again == first
        # and the entry was written again, whole
        again2, calls2 = self._run()
        assert calls2 == [] and again2 == first

    @pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
    def test_a_file_others_can_write_is_not_trusted(self, compiled_cache):
        self._run()
        for path in compiled_cache.glob("*.py"):
            path.chmod(0o666)
        _, calls = self._run()
        assert calls

    def test_cache_off(self, compiled_cache, monkeypatch):
        monkeypatch.setenv("SYMTHERMO_CACHE", "off")
        self._run()
        assert not compiled_cache.exists()

    def test_default_directory(self, monkeypatch, tmp_path):
        monkeypatch.delenv("SYMTHERMO_CACHE")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert compiled.cache_dir() == tmp_path / "symthermo"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert compiled.cache_dir() == tmp_path / "home" / ".cache" / "symthermo"

    def test_bad_values_are_still_refused(self, compiled_cache):
        model = get_model("refrigerator")
        with pytest.raises(ValueError, match="g must be > 0"):
            plain_parameters(model, ["g=0"])
        assert plain_parameters(model, ["g=-1"]) is None  # not plain: the general route says why
        assert plain_parameters(model, ["nope=1"]) is None


class TestSource:
    def test_numbers_round_trip_exactly(self):
        rng = np.random.default_rng(0)
        value = {"a": rng.normal(size=(3, 4)), "c": rng.normal(size=3) + 1j * rng.normal(size=3),
                 "f": [float("inf"), -0.0, 5e-324, float("nan")], "i": np.arange(4),
                 "x": (Fraction(1, 3), 2.5 + 1j, None, True, "s", np.float64(0.1))}
        back = from_source(to_source(value))
        assert np.array_equal(back["a"], value["a"]) and back["a"].dtype == value["a"].dtype
        assert np.array_equal(back["c"], value["c"])
        assert back["f"][:3] == value["f"][:3] and math.isnan(back["f"][3])
        assert math.copysign(1, back["f"][1]) == -1
        assert np.array_equal(back["i"], value["i"])
        assert back["x"] == value["x"]

    def test_lambdified_functions_round_trip(self):
        t = sympy.Symbol("t")
        exprs = [sympy.cos(sympy.sqrt(2) * t) * sympy.exp(-t / 3) + sympy.Rational(1, 3),
                 sympy.Piecewise((t, t < 1), (1, True)), sympy.pi * t ** 2]
        fn = sympy.lambdify(t, exprs, modules="numpy", cse=True)
        back = from_source(to_source((fn, 2)))[0]
        ts = np.linspace(0, 3, 11)
        for a, b in zip(fn(ts), back(ts)):
            assert np.array_equal(a, b)

    def test_dataclasses_and_closures_of_symthermo_round_trip(self):
        from symthermo.local import Subsystem
        from symthermo.models.jc_numbers import _lambdify_arrays
        from symthermo.levels import Oscillator

        sub = Subsystem.of(np.diag([0.0, 1.0, 2.5]), FLOAT64)
        osc = Subsystem.of(Oscillator(1.5), FLOAT64)
        t = T
        fn = _lambdify_arrays([sympy.cos(t) * sympy.exp(-t / 7), t ** 2 + 1])  # a closure
        back_sub, back_osc, back_fn = from_source(to_source((sub, osc, fn)))
        assert back_sub.lib is FLOAT64 and back_sub.levels == sub.levels
        assert np.array_equal(back_sub.H, sub.H) and back_osc.levels == osc.levels
        ts = np.linspace(0, 5, 9)
        for a, b in zip(fn(ts), back_fn(ts)):
            assert np.array_equal(a, b)

    def test_closures_of_other_code_are_refused(self):
        def outer():
            k = 2.0

            def inner(x):
                return k * x
            return inner

        with pytest.raises(Unserialisable):
            to_source(outer())
        with pytest.raises(ValueError, match="not a closure of a symthermo function"):
            from_source("VALUE = _closure('os.path', 'join.<locals>.x', {})")
        with pytest.raises(ValueError, match="not a symthermo dataclass"):
            from_source("VALUE = _dataclass('os', 'PathLike', {})")

    def test_other_objects_are_refused(self):
        with pytest.raises(Unserialisable):
            to_source(lambda t: t)
        with pytest.raises(Unserialisable):
            to_source(object())
        t = sympy.Symbol("t")
        fn = sympy.lambdify(t, sympy.besselj(0, t), modules="mpmath")  # mpmath's, not numpy's
        with pytest.raises(Unserialisable):
            to_source(fn)


class TestPlainNumbers:
    def test_plain_literals_equal_sympify(self):
        rng = random.Random(5)
        texts = ["0", "1", "1.63", "2.", ".5", "1e-3", "2.5E+2", "007", "007.5", "00", "1/3",
                 "10/4", "0.000", "1e400", "1e007"]
        for _ in range(300):
            mant = str(rng.randint(0, 10 ** rng.randint(1, 20)))
            if rng.random() < 0.5:
                cut = rng.randint(0, len(mant))
                mant = mant[:cut] + "." + mant[cut:]
                if mant == ".":
                    mant = "0."
            if rng.random() < 0.5:
                mant += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 30))
            texts.append(mant)
        for text in texts:
            value = plain_number(text)
            try:
                exact = sympy.sympify(text, rational=True)
            except sympy.SympifyError:  # "007": not Python's syntax; the grammar reads 7
                assert value == parse_expression(text) == int(text), text
                continue
            assert value is not None, text
            assert sympy.Rational(value.numerator, value.denominator) == exact, text
            assert str(value) == str(exact), text  # the payload prints the same parameters

    @pytest.mark.parametrize("text", ["pi", "-1", "1/0", "1e999999", "1 2", "0x10", "1_0", "",
                                      "nan", "inf", "2*g", "1e-3j"])
    def test_anything_else_is_not_plain(self, text):
        assert plain_number(text) is None

    def test_times_equal_the_sympy_route(self):
        rng = random.Random(7)
        for _ in range(40):
            a, b = f"{rng.uniform(0, 5):.3f}", f"{rng.uniform(0, 50):.2f}"
            n = rng.randint(1, 60)
            text = f"{a}:{b}:{n}, 1/3, 2.5e-1"
            expected = time_values(parse_times(text), {}, lib=FLOAT64)
            assert plain_times(text) == expected

    @pytest.mark.parametrize("text", ["pi/2", "0:1:0", "0:1", "0:1:2.5", "-1", "0:1:99999999999"])
    def test_other_times_go_the_general_way(self, text):
        assert plain_times(text) is None


class TestFloatStrings:
    def test_same_strings_as_mpmath(self):
        def old(x, dps):
            with mpmath.workdps(max(dps, 17) + 5):
                return mpmath.nstr(mpmath.mpf(x), dps, strip_zeros=False)

        rng = random.Random(11)
        values = [5e-324, 1.7976931348623157e308, 562949953421312.5, 0.5, 1e-5, 1e-4,
                  999999999999999.5, 9.999999999999995, 99999.99999999999, 1e15, 1e14]
        for _ in range(4000):
            x = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
            if math.isfinite(x) and x != 0:
                values.append(x)
            values.append(rng.uniform(-1, 1) * 10.0 ** rng.randint(-9, 17))
            # exact ties and short dyadic values, where half-even and half-up differ
            values.append(rng.randint(1, 10 ** 16) / 2 ** rng.randint(0, 12))
            values.append(-(2.0 ** rng.randint(-60, 60)) * rng.choice([1, 1.5, 1.25, 3]))
        for dps in (15, 1, 2, 17, 30):
            for x in values:
                assert decimal_string(x, dps) == old(x, dps), (dps, x)
            # column by column, with zeros and infinities among them
            column = np.array(values + [0.0, -0.0, float("inf"), -float("inf")])
            assert decimal_strings(column, dps) == [decimal_string(x, dps) for x in column.tolist()]
        with pytest.raises(ValueError, match="nan"):
            decimal_strings(np.array([1.0, float("nan")]), 15)


@pytest.mark.parametrize("name, given", [
    ("refrigerator", []), ("exchange", ["state_A=plus"]), ("jaynes-cummings", []),
    ("jaynes-cummings", ["state_B=coherent", "alpha=3", "g=0.1"]),
    ("spontaneous-emission", []), ("reaction-coordinate", ["kappa=0.005"]), ("qutrit-swap", []),
])
def test_every_model_prints_the_same_from_the_cache(compiled_cache, name, given):
    times = [str(sympy.Rational(k * 300, 19)) for k in range(20)]
    general = reference_payload(get_model(name), given, times, float64=True)
    for _ in range(2):  # derived and stored, then read back from the disk
        compiled._MEMORY.clear()
        fast = reference_payload(get_model(name), given, "0:300:20", float64=True)
        assert fast == general


class TestEviction:
    """The disk cache is bounded (least recently used first) and removes only its own files."""

    def _sweep(self, points, start=0):
        model = get_model("refrigerator")
        for k in range(start, start + points):
            compiled._MEMORY.clear()
            reference_payload(model, {"g": f"{1 + k / 1000}"}, "0:1:3", float64=True)

    @staticmethod
    def _entries(directory):
        return sorted(p.name for p in directory.iterdir() if compiled._ENTRY_NAME.fullmatch(p.name))

    def test_a_sweep_stays_within_the_entry_limit(self, compiled_cache, monkeypatch):
        monkeypatch.setattr(compiled, "MAX_ENTRIES", 7)
        self._sweep(12)  # two entries per parameter set: 24 without a bound
        assert len(self._entries(compiled_cache)) == 7

    def test_a_sweep_stays_within_the_byte_limit(self, compiled_cache, monkeypatch):
        self._sweep(3)
        sizes = [(compiled_cache / n).stat().st_size for n in self._entries(compiled_cache)]
        monkeypatch.setattr(compiled, "MAX_BYTES", 2 * max(sizes) + 1)
        self._sweep(10, start=3)
        total = sum((compiled_cache / n).stat().st_size for n in self._entries(compiled_cache))
        assert 0 < total <= 2 * max(sizes) + 1

    def test_least_recently_used_goes_first(self, compiled_cache, monkeypatch):
        monkeypatch.setattr(compiled, "MAX_ENTRIES", 4)
        self._sweep(2)  # four entries, points 0 and 1
        first = set(self._entries(compiled_cache))
        old = 0
        for name in first:  # make them old, then use point 0 again (a hit refreshes it)
            os.utime(compiled_cache / name, (old, old))
            old += 10
        self._sweep(1, start=0)
        used = {n for n in first if (compiled_cache / n).stat().st_mtime > 1000}
        assert len(used) == 2
        self._sweep(1, start=5)  # two new entries push out two: point 1's, not point 0's
        assert used <= set(self._entries(compiled_cache))
        assert len(self._entries(compiled_cache)) == 4

    def test_nothing_but_its_own_files_is_removed(self, compiled_cache, monkeypatch, tmp_path):
        self._sweep(1)
        outside = tmp_path / "precious.py"
        outside.write_text("keep me")
        foreign = {
            "notes.txt": "text", "README": "x", "ABCDEF0123456789ABCDEF0123456789ABCDEF01.py": "upper",
            "0123456789abcdef0123456789abcdef01234567.pyc": "other suffix",
            "0123456789abcdef0123456789abcdef0123456.py": "39 digits", ".tmp-x.txt": "t",
        }
        for name, text in foreign.items():
            (compiled_cache / name).write_text(text)
            os.utime(compiled_cache / name, (0, 0))
        (compiled_cache / ("f" * 40 + ".py")).mkdir()  # an entry's name, but a directory
        (compiled_cache / ("e" * 40 + ".py")).symlink_to(outside)  # an entry's name, but a link
        os.utime(compiled_cache / ("e" * 40 + ".py"), (0, 0), follow_symlinks=False)
        assert compiled.evict(compiled_cache, max_entries=0, max_bytes=0) == 2
        assert self._entries(compiled_cache) == ["e" * 40 + ".py", "f" * 40 + ".py"]
        for name, text in foreign.items():
            assert (compiled_cache / name).read_text() == text
        assert outside.read_text() == "keep me"

    def test_stale_temporary_files_are_removed_fresh_ones_kept(self, compiled_cache):
        self._sweep(1)
        stale, fresh = compiled_cache / ".tmp-abc123.py", compiled_cache / ".tmp-def456.py"
        stale.write_text("half")
        fresh.write_text("being written")
        os.utime(stale, (0, 0))
        compiled.evict(compiled_cache)
        assert not stale.exists() and fresh.exists()
