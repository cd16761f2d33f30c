"""A YAML reader for rubrics: safe, strict, and able to say on which line a key is.

PyYAML's `safe_load` would let a duplicate key win silently, read `yes`/`no`/`on`/`off`
as booleans (so 是/否-style tokens written in Latin letters change meaning) and `010`
as octal 8. Here only `true`/`false` are booleans, integers are plain decimals, dates
stay text, and a duplicate key is an error. Nothing is ever constructed from a tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import RubricError, RubricIssue

Path = tuple[str | int, ...]


class _StrictResolver(yaml.resolver.BaseResolver):
    pass


_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _StrictResolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _StrictResolver.__init__(self)


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    lines: dict[Path, int]  # key path -> 1-based line where it is written
    file: str

    def line_of(self, path: Path) -> int | None:
        """Line of the deepest prefix of `path` that exists in the document."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def load_yaml(text: str, file: str) -> LoadedYaml:
    """Parse `text`; raise RubricError listing every structural problem found."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        context = ""
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            context = f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise RubricError(
            [RubricIssue(file, line, "", f"not valid YAML: {exc.problem or exc}{context}",
                         "check indentation, brackets and that every `key: value` has a space after the colon")]
        ) from None
    except yaml.YAMLError as exc:
        raise RubricError([RubricIssue(file, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()

    lines: dict[Path, int] = {}
    issues: list[RubricIssue] = []
    seen: set[int] = set()

    def build(n: yaml.Node, path: Path) -> Any:
        lines.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            # an alias (*name) makes the composer share a node; expanding shared nodes is how
            # "billion laughs" documents exhaust memory, and a measure never needs them
            if id(n) in seen:
                issues.append(RubricIssue(file, n.start_mark.line + 1, format_path(path),
                                          "anchors and aliases (&name, *name) are not allowed",
                                          "write the repeated part out in full"))
                return None
            seen.add(id(n))
        if n.tag not in _ALLOWED_TAGS:
            issues.append(RubricIssue(file, n.start_mark.line + 1, format_path(path),
                                      f"tag {n.tag} is not allowed", "remove the `!` tag: rubrics hold plain data"))
            return None
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    issues.append(RubricIssue(file, key_node.start_mark.line + 1, format_path(path),
                                              "a key must be plain text"))
                    continue
                key = key_node.value
                if key == "<<":
                    issues.append(RubricIssue(file, key_node.start_mark.line + 1, format_path(path),
                                              "merge keys (<<) are not supported", "write the keys out"))
                    continue
                kpath = (*path, key)
                if key in out:
                    issues.append(RubricIssue(
                        file, key_node.start_mark.line + 1, format_path(kpath),
                        f"duplicate key `{key}` (first written on line {lines[kpath]})",
                        "keep one of them"))
                    continue
                lines[kpath] = key_node.start_mark.line + 1
                out[key] = build(value_node, kpath)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(n.value)]
        return loader.construct_object(n, deep=True)

    data = build(node, ()) if node is not None else None
    if issues:
        raise RubricError(issues)
    return LoadedYaml(data=data, lines=lines, file=file)
