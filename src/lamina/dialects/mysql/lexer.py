"""MySQL/MariaDB SQL cut into tokens, as the server reads it: comments (`-- `, `#`, `/* */`),
strings ('…' and "…", with backslash escapes and doubled quotes), `backquoted` identifiers,
@user and @@system variables, numbers, words (keywords and bare identifiers) and punctuation.
Nothing is lost: the tokens' texts joined give the SQL back, so a rewrite changes only the
tokens it means to (never a name inside a string or a comment)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Kind(enum.Enum):
    SPACE = enum.auto()
    COMMENT = enum.auto()
    STRING = enum.auto()
    QUOTED = enum.auto()  # a `backquoted` identifier
    VARIABLE = enum.auto()  # @name, @@name
    NUMBER = enum.auto()
    WORD = enum.auto()  # a keyword or a bare identifier
    PUNCT = enum.auto()


_STRING = r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*\""""
_QUOTED = r"`(?:[^`]|``)*`"
_PATTERN = re.compile(rf"""
   (?P<SPACE>\s+)
  |(?P<COMMENT>--(?=\s|$)[^\n]*|\#[^\n]*|/\*.*?(?:\*/|\Z))
  |(?P<STRING>{_STRING})
  |(?P<QUOTED>{_QUOTED})
  |(?P<VARIABLE>@@?(?:{_QUOTED}|{_STRING}|[\w$.]*))
  |(?P<NUMBER>(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)(?![\w$]))
  |(?P<WORD>[\w$]+)
  |(?P<PUNCT>.)
""", re.S | re.X)


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str  # as written

    @property
    def is_identifier(self) -> bool:
        """A word or a backquoted name (a word may still be a keyword)."""
        return self.kind in (Kind.WORD, Kind.QUOTED)

    @property
    def name(self) -> str:
        """The identifier it spells: unquoted."""
        return self.text[1:-1].replace("``", "`") if self.kind is Kind.QUOTED else self.text

    @property
    def word(self) -> str:
        """Upper-case text of a bare word ('' for anything else): to compare with keywords."""
        return self.text.upper() if self.kind is Kind.WORD else ""


def tokenize(sql: str) -> list[Token]:
    return [Token(Kind[m.lastgroup or "PUNCT"], m.group(0)) for m in _PATTERN.finditer(sql)]


def backquoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
