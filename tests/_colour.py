"""Colour science for the tests, independent of the product: sRGB -> CIELAB, ΔE, CVD.

CIELAB from sRGB (IEC 61966-2-1) through XYZ with the D65 white; ΔE is CIE76 (the
Euclidean distance in L*a*b*). Colour-vision deficiency is simulated with the
severity-1.0 matrices of Machado, Oliveira & Fernandes (2009), "A Physiologically-based
Model for Simulation of Color Vision Deficiency", applied in linear RGB.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["hex_rgb", "blend", "lab", "delta_e", "delta_e_min", "VISIONS"]

_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                 [0.2126729, 0.7151522, 0.0721750],
                 [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])
VISIONS: dict[str, np.ndarray] = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def hex_rgb(colour: str) -> np.ndarray:
    """``#rrggbb`` -> sRGB in 0..1."""
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def blend(fill: str, opacity: float, under: str) -> np.ndarray:
    """``fill`` at ``opacity`` over ``under``, blended in sRGB as browsers and Agg do."""
    return opacity * hex_rgb(fill) + (1 - opacity) * hex_rgb(under)


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(rgb: Sequence[float] | np.ndarray, vision: str = "normal") -> np.ndarray:
    """CIELAB of an sRGB colour (0..1) as seen with ``vision``."""
    lin = np.clip(VISIONS[vision] @ _linear(np.asarray(rgb, dtype=float)), 0, 1)
    xyz = _XYZ @ lin / _WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray,
            vision: str = "normal") -> float:
    """CIE76 ΔE between two sRGB colours (0..1) as seen with ``vision``."""
    return float(np.linalg.norm(lab(a, vision) - lab(b, vision)))


def delta_e_min(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """The smallest ΔE over normal vision, deuteranopia and protanopia."""
    return min(delta_e(a, b, v) for v in VISIONS)
