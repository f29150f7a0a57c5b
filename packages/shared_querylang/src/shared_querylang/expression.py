"""The ``where=`` expression language: lexer, recursive-descent parser and emitter.

Grammar (precedence ``not`` > ``and`` > ``or``)::

    expr    := and ( "or" and )*
    and     := not ( "and" not )*
    not     := "not" not | primary
    primary := "(" expr ")" | ("any" | "all") "(" path "," expr ")"
             | path "." op "(" [ value ( "," value )* ] ")"

Keywords are recognised by position and lookahead, so a field may be called ``and``,
``not`` or ``any``: ``not.eq(1)`` is a leaf on the field ``not``, because a keyword is
never followed by ``.``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .errors import QuerySyntaxError
from .leaves import build_leaf
from .limits import Limits
from .nodes import (
    And,
    Leaf,
    Node,
    Not,
    Or,
    Path,
    Quantified,
    Value,
    all_in,
    all_of,
    any_in,
    any_of,
    negate,
)
from .operators import ALIASES, OPERATORS

__all__ = ["format_expression", "format_value", "parse_expression"]

# One token per match; re.ASCII keeps \d and \w from matching other scripts' digits.
_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
    | (?P<date>\d{4}-\d{2}-\d{2}
        (?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?
           (?P<offset>Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?)
    | (?P<number>-?\d+(?P<fraction>\.\d+)?(?P<exponent>[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_]\w*)
    | (?P<string>'[^']*(?:''[^']*)*')
    | (?P<punct>[().,])
    """,
    re.VERBOSE | re.ASCII,
)

_WORDS: dict[str, Value] = {"true": True, "false": False, "null": None}
_EXPECTED_VALUE = "a value: 'text', a number, true, false, null or an ISO date"
_OP_NAMES = OPERATORS | ALIASES.keys() | {"ne"}
_KNOWN_OPS = ", ".join(sorted(_OP_NAMES))


class _Token(NamedTuple):
    kind: str  # "name", "value", one of "().," or "end"
    text: str
    value: Value
    position: int


def _tokens(text: str, param: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, end = 0, len(text)
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] == "'":
                reason = "unterminated string; expected a closing \"'\" (write '' for a quote)"
            else:
                reason = (
                    f"unexpected character {text[position]!r}; expected field names,"
                    " 'strings', numbers, dates, '(', ')', ',' or '.'"
                )
            raise QuerySyntaxError(
                reason,
                param=param,
                position=position,
            )
        kind = match.lastgroup
        token = match.group()
        if kind == "name":
            tokens.append(_Token("name", token, None, position))
        elif kind == "punct":
            tokens.append(_Token(token, token, None, position))
        elif kind == "string":
            tokens.append(_Token("value", token, token[1:-1].replace("''", "'"), position))
        elif kind == "number":
            tokens.append(_Token("value", token, _number(match, param, position), position))
        elif kind == "date":
            tokens.append(_Token("value", token, _date(match, param, position), position))
        position = match.end()
    tokens.append(_Token("end", "", None, end))
    return tokens


def _number(match: re.Match[str], param: str, position: int) -> int | float:
    token = match.group()
    try:
        if match.group("fraction") or match.group("exponent"):
            number = float(token)
            if number in (float("inf"), float("-inf")):
                raise ValueError
            return number
        return int(token)
    except ValueError:
        raise QuerySyntaxError(
            f"number {token[:30]!r} is out of range", param=param, position=position
        ) from None


def _offset(text: str) -> dt.timezone:
    if text == "Z":
        return dt.UTC
    hours, minutes, seconds = (text[1:].split(":") + ["0"])[:3]
    if int(minutes) >= 60 or float(seconds) >= 60:
        raise ValueError(text)
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes), seconds=float(seconds))
    # timezone() rejects offsets of a day or more with ValueError.
    return dt.timezone(-delta if text[0] == "-" else delta)


def _date(match: re.Match[str], param: str, position: int) -> dt.date:
    token = match.group()
    try:
        if len(token) == 10:
            return dt.date.fromisoformat(token)
        offset = match.group("offset")
        if offset is None:
            return dt.datetime.fromisoformat(token)
        # Python 3.11's fromisoformat() drops microseconds from UTC offsets: parse them here.
        local = dt.datetime.fromisoformat(token[: -len(offset)])
        return local.replace(tzinfo=_offset(offset))
    except ValueError:
        raise QuerySyntaxError(
            f"{token!r} is not a valid date or datetime; expected YYYY-MM-DD or"
            " YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|+HH:MM]",
            param=param,
            position=position,
        ) from None


class _Parser:
    """Recursive descent over a token list; ``depth`` bounds the recursion."""

    def __init__(self, text: str, param: str, limits: Limits) -> None:
        self.tokens = _tokens(text, param)
        self.index = 0
        self.param = param
        self.limits = limits
        self.nodes = 0

    def error(self, token: _Token, expected: str) -> QuerySyntaxError:
        found = "end of the expression" if token.kind == "end" else repr(token.text)
        return QuerySyntaxError(
            f"unexpected {found}; expected {expected}", param=self.param, position=token.position
        )

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def take(self, kind: str, expected: str) -> _Token:
        token = self.tokens[self.index]
        if token.kind != kind:
            raise self.error(token, expected)
        self.index += 1
        return token

    def count(self, token: _Token) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise QuerySyntaxError(
                f"the expression has more than {self.limits.max_nodes} nodes",
                param=self.param,
                position=token.position,
            )

    def enter(self, token: _Token, depth: int) -> int:
        if depth >= self.limits.max_depth:
            raise QuerySyntaxError(
                f"the expression nests deeper than {self.limits.max_depth} levels",
                param=self.param,
                position=token.position,
            )
        return depth + 1

    def is_word(self, token: _Token, word: str) -> bool:
        return token.kind == "name" and token.text == word

    def whole(self) -> Node:
        node = self.expr(0)
        token = self.peek()
        if token.kind != "end":
            raise self.error(token, "'and', 'or' or the end of the expression")
        return node

    def expr(self, depth: int) -> Node:
        nodes = [self.conjunction(depth)]
        while self.is_word(self.peek(), "or"):
            self.count(self.peek())
            self.index += 1
            nodes.append(self.conjunction(depth))
        return any_of(*nodes)

    def conjunction(self, depth: int) -> Node:
        nodes = [self.negation(depth)]
        while self.is_word(self.peek(), "and"):
            self.count(self.peek())
            self.index += 1
            nodes.append(self.negation(depth))
        return all_of(*nodes)

    def negation(self, depth: int) -> Node:
        token = self.peek()
        if self.is_word(token, "not") and self.peek(1).kind != ".":
            self.count(token)
            self.index += 1
            return negate(self.negation(self.enter(token, depth)))
        return self.primary(depth)

    def primary(self, depth: int) -> Node:
        token = self.peek()
        if token.kind == "(":
            self.index += 1
            node = self.expr(self.enter(token, depth))
            self.take(")", "'and', 'or' or ')'")
            return node
        if token.kind != "name":
            raise self.error(token, "a field path, '(', 'not', 'any' or 'all'")
        if token.text in ("any", "all") and self.peek(1).kind == "(":
            return self.quantified(depth)
        return self.leaf()

    def quantified(self, depth: int) -> Node:
        word = self.peek()
        self.count(word)
        self.index += 2
        relation = self.path()
        self.take(",", f"',' after the relation of {word.text}()")
        condition = self.expr(self.enter(word, depth))
        self.take(")", "'and', 'or' or ')'")
        return any_in(relation, condition) if word.text == "any" else all_in(relation, condition)

    def path(self) -> Path:
        segments = [self.take("name", "a field name").text]
        while self.peek().kind == ".":
            self.index += 1
            segments.append(self.take("name", "a field name after '.'").text)
        return tuple(segments)

    def leaf(self) -> Node:
        start = self.peek()
        self.count(start)
        segments = self.path()
        op_token = self.tokens[self.index - 1]
        if len(segments) < 2:
            raise self.error(self.peek(), "'.' and an operator call, as in 'price.gte(10)'")
        self.take("(", "'(' after the operator, as in 'price.gte(10)'")
        if op_token.text not in _OP_NAMES:
            raise QuerySyntaxError(
                f"unknown operator {op_token.text!r}; expected one of {_KNOWN_OPS}",
                param=self.param,
                position=op_token.position,
            )
        values: list[Value] = []
        if self.peek().kind != ")":
            values.append(self.value())
            while self.peek().kind == ",":
                self.index += 1
                values.append(self.value())
        self.take(")", "',' or ')' in the operator's arguments")
        return build_leaf(
            segments[:-1],
            op_token.text,
            values,
            negated=False,
            param=self.param,
            position=start.position,
            limits=self.limits,
        )

    def value(self) -> Value:
        token = self.peek()
        if token.kind == "value":
            self.index += 1
            return token.value
        if token.kind == "name" and token.text in _WORDS:
            self.index += 1
            return _WORDS[token.text]
        raise self.error(token, _EXPECTED_VALUE)


def parse_expression(text: str, *, param: str, limits: Limits) -> Node:
    """Parse a ``where=`` value into a filter tree.

    Args:
        text: the decoded expression.
        param: the parameter name, for errors (``where`` or ``where[rel]``).
        limits: node count and nesting bounds.

    Raises:
        QuerySyntaxError: the expression is malformed or exceeds a limit.
    """
    return _Parser(text, param, limits).whole()


def format_value(value: Value) -> str:
    """A value as a ``where=`` literal."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _operand(node: Node) -> str:
    text = format_expression(node)
    return f"({text})" if isinstance(node, And | Or) else text


def format_expression(node: Node) -> str:
    """The canonical ``where=`` text of ``node``: every nested group in parentheses."""
    if isinstance(node, Leaf):
        args = ",".join(map(format_value, node.values))
        return f"{'.'.join(node.path)}.{node.op}({args})"
    if isinstance(node, Not):
        return "not " + _operand(node.child)
    if isinstance(node, Quantified):
        relation = ".".join(node.relation)
        return f"{node.quantifier}({relation}, {format_expression(node.condition)})"
    joiner = " and " if isinstance(node, And) else " or "
    return joiner.join(map(_operand, node.children))
