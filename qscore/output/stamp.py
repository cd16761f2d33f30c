"""The stamp on every output: which qscore, which rubric, which inputs, which date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from ..assessment import Assessment


@dataclass(frozen=True)
class Stamp:
    qscore_version: str
    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    inputs: tuple[tuple[str, str], ...]  # (path, sha256)
    date: dt.date

    def lines(self, lang: str = "zh", file_names_only: bool = False) -> list[tuple[str, str]]:
        """Label and value of each line; `file_names_only` names inputs without their folders
        (for documents sent to units, which need not learn where the department keeps files)."""
        if file_names_only:
            short = Stamp(**{**self.__dict__, "inputs": tuple((PurePath(p).name, h) for p, h in self.inputs)})
            return short.lines(lang)
        if lang == "en":
            rows = [("qscore version", self.qscore_version), ("rubric", f"{self.rubric_id} version {self.rubric_version}"),
                    ("rubric SHA-256", self.rubric_sha256), ("assessment date", self.date.isoformat())]
            return rows + [(f"input {path}", sha) for path, sha in self.inputs]
        rows = [("qscore 版本", self.qscore_version), ("考核办法", f"{self.rubric_id} 第{self.rubric_version}版"),
                ("考核办法 SHA-256", self.rubric_sha256), ("考核日期", self.date.isoformat())]
        rows += [(f"输入文件 {path}", sha) for path, sha in self.inputs]
        return rows

    def as_dict(self) -> dict[str, object]:
        return {"qscore": self.qscore_version, "rubric": {"id": self.rubric_id, "version": self.rubric_version,
                                                           "sha256": self.rubric_sha256},
                "inputs": [{"path": p, "sha256": s} for p, s in self.inputs], "date": self.date.isoformat()}


def make_stamp(a: Assessment, date: dt.date) -> Stamp:
    from .. import __version__

    return Stamp(__version__, a.rubric.id, a.rubric.version, a.rubric.sha256,
                 tuple((f.path, f.sha256) for f in a.returns.files), date)
