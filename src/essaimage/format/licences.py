"""Licences: SPDX identifiers and expressions (`CC-BY-4.0 OR etalab-2.0`), checked against the
official SPDX list as the `license-expression` library bundles it (aboutcode, the list ScanCode
and pip-licenses use), with suggestions among real identifiers.

The library and its list (about 65 ms to load) are only loaded for a value that is not one of
the licences French public bodies and networks use most, which are checked from a short list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text.words import fold_accents, suggest
from .scalars import to_text, value_error

if TYPE_CHECKING:
    from license_expression import Licensing

# Valid SPDX identifiers, as SPDX spells them: checked without loading the whole list.
COMMON = frozenset(
    {
        "etalab-2.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0",
        "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC0-1.0", "ODbL-1.0", "MIT", "Apache-2.0",
        "GPL-3.0-or-later", "GPL-3.0-only", "AGPL-3.0-or-later", "AGPL-3.0-only",
        "EUPL-1.2", "LGPL-3.0-or-later", "CECILL-2.1", "CECILL-B", "CECILL-C", "BSD-3-Clause",
    }
)  # fmt: skip

# What French users write for the Licence Ouverte 2.0 of Etalab, whose SPDX id is etalab-2.0.
_LICENCE_OUVERTE = frozenset({"lo-2.0", "lo 2.0", "licence ouverte 2.0", "licence-ouverte-2.0"})


@dataclass(frozen=True)
class Verdict:
    """What a licence value is: its SPDX form when valid, else why not and what to write."""

    normalise: str | None
    raison: str | None = None
    suggestion: str | None = None


def to_spdx(value: object) -> object:
    """Validator: an SPDX licence identifier or expression (`CC-BY-SA-4.0`, `etalab-2.0`,
    `CC-BY-4.0 OR etalab-2.0`) of the official list, written as SPDX writes it."""
    if not isinstance(value, str):
        return value
    to_text(value)  # a control character: S113, as in any text, not a licence problem
    verdict = check(value)
    if verdict.normalise is not None:
        return verdict.normalise
    example = verdict.suggestion or "etalab-2.0"
    raise value_error(
        "spdx",
        verdict.raison or f"« {value} » n'est pas une licence SPDX",
        hint=f"Écrivez par exemple « {example} » (identifiants sur spdx.org/licenses).",
    )


def check(value: str) -> Verdict:
    """The SPDX form of a licence identifier or expression, or why it is not one."""
    text = " ".join(value.split())
    if not text:  # the library reads a blank expression as the licence « None »
        return Verdict(None, "la licence est vide", "etalab-2.0")
    if text in COMMON:
        return Verdict(text)
    folded = fold_accents(text).lower()
    if folded in _LICENCE_OUVERTE:
        return Verdict("etalab-2.0")
    if folded.startswith("licence ouverte") or folded in {"lo", "etalab"}:
        message = f"« {text} » n'est pas un identifiant SPDX (la Licence Ouverte 2.0 s'y écrit etalab-2.0)"
        return Verdict(None, message, "etalab-2.0")
    odd = next((c for c in text if not (c.isalnum() or c in _EXPRESSION_SIGNS)), None)
    if odd is not None:
        # said here: the library raises on such a character, and its own `validate` then
        # fails on that error (AttributeError in license-expression 30.4.4)
        shown = odd if odd.isprintable() else f"U+{ord(odd):04X}"
        message = (
            f"« {text} » n'est pas une licence SPDX : « {shown} » n'a pas sa place dans une "
            "licence (lettres, chiffres, « - », « . », « + », parenthèses, AND, OR, WITH)"
        )
        return Verdict(None, message, _closest(" ".join(_without_odd(text).split())))
    try:
        info = _licensing().validate(text)
    except Exception:  # noqa: BLE001 - the library's parser fails on some malformed expressions
        # (« MIT OR »: AttributeError, « () »: IndexError, in license-expression 30.4.4)
        return Verdict(None, _malformed(text))
    if not info.errors and info.normalized_expression:
        return Verdict(str(info.normalized_expression))
    unknown = [str(symbol) for symbol in info.invalid_symbols if str(symbol).strip()]
    if unknown:
        close = _closest(unknown[0])
        if unknown[0] == text:
            return Verdict(None, f"« {text} » n'est pas un identifiant de la liste SPDX", close)
        message = f"dans « {text} », « {unknown[0]} » n'est pas un identifiant de la liste SPDX"
        return Verdict(None, message, close)
    return Verdict(None, _malformed(text))


# What an SPDX expression holds besides letters and digits (the library's key characters,
# its parentheses and the spaces between words).
_EXPRESSION_SIGNS = frozenset("-_.:+() ")


def _without_odd(text: str) -> str:
    """The text with what cannot be in a licence turned into spaces, for a suggestion."""
    return "".join(c if c.isalnum() or c in _EXPRESSION_SIGNS else " " for c in text)


def _malformed(text: str) -> str:
    return (
        f"« {text} » n'est pas une expression de licences bien formée (AND, OR, WITH, parenthèses)"
    )


@functools.cache
def _licensing() -> Licensing:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@functools.cache
def _identifiers() -> tuple[str, ...]:
    """Every SPDX licence and exception identifier of the bundled list."""
    symbols = _licensing().known_symbols
    return tuple(sorted(str(key) for key in symbols if not str(key).startswith("LicenseRef-")))


def _closest(written: str) -> str | None:
    """The real SPDX identifier closest to what was written (« CC BY SA » → CC-BY-SA-4.0)."""
    guess = "-".join(written.replace("_", " ").split())
    identifiers = _identifiers()
    exact = {identifier.lower(): identifier for identifier in identifiers}
    if guess.lower() in exact:
        return exact[guess.lower()]
    versioned = [i for i in identifiers if i.lower().startswith(guess.lower() + "-")]
    if versioned:  # « CC-BY-SA » → the newest version of it
        return max(versioned, key=_version_key)
    prefixes = [i for i in identifiers if guess.lower().startswith(i.lower() + "-")]
    if prefixes:  # « MIT-ish » → MIT
        return max(prefixes, key=len)
    return suggest(guess, identifiers, cutoff=0.75)


def _version_key(identifier: str) -> tuple[float, str]:
    tail = identifier.rsplit("-", 1)[-1]
    try:
        return float(tail), identifier
    except ValueError:
        return 0.0, identifier
