"""``symthermo models``: every model, its subsystems, parameters and extra keys."""

from __future__ import annotations

import json

from .models import get_model, model_names

__all__ = ["catalogue", "models_text", "models_json"]


def catalogue():
    """A list of dicts describing each model (the JSON of ``symthermo models``)."""
    out = []
    for name in model_names():
        m = get_model(name)
        out.append({
            "model": m.name,
            "source": m.source,
            "description": m.description,
            "subsystems": list(m.subsystems),
            "unitary": m.unitary,
            "parameters": [
                {"name": p.name, "default": p.default, "description": p.description,
                 **({"choices": list(p.choices)} if p.choices else {})}
                for p in m.parameters
            ],
            "keys": m.keys(),
            "extra_keys": dict(m.extra_keys),
            "paper_times": list(m.paper_times),
        })
    return out


def models_json():
    return json.dumps(catalogue(), indent=1) + "\n"


def models_text():
    lines = []
    for entry in catalogue():
        lines.append(f"{entry['model']}  ({entry['source']})")
        lines.append(f"  {entry['description']}")
        lines.append(f"  subsystems: {', '.join(entry['subsystems'])}"
                     f"{'' if entry['unitary'] else '  (open: Lindblad damping)'}")
        for p in entry["parameters"]:
            choice = f" [{' | '.join(p['choices'])}]" if "choices" in p else ""
            lines.append(f"  --param {p['name']}={p['default']}{choice}  {p['description']}")
        for key, text in entry["extra_keys"].items():
            lines.append(f"  extra key {key}: {text}")
        lines.append("")
    return "\n".join(lines)
