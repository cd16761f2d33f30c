"""Hostile and broken files are refused with a clear code and message, before any parser
runs; each goes through the CLI too, which must exit 1 without a traceback or a crash."""

import hashlib
import time

import pytest
from click.testing import CliRunner

from qscore import filecheck
from qscore.cli import cli
from qscore.filecheck import inspect_bytes

import hostile
from conftest import SAMPLE


def test_sample_passes():
    assert inspect_bytes(SAMPLE.read_bytes(), ".xlsx").kind == "xlsx"


@pytest.mark.parametrize("make, code, words", [
    (hostile.far_cell, "unsafe-file", "1,048,576 行 × 16,384 列"),
    (hostile.far_cell_reordered, "unsafe-file", "1,048,576 行 × 16,384 列"),
    (hostile.entity_bomb, "unsafe-file", "XML 实体声明"),
    (lambda: b"", "unreadable-file", "文件为空"),
    (lambda: SAMPLE.read_bytes()[:50_000], "unreadable-file", "损坏或不完整"),
    (lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "unreadable-file", "网页"),
    (lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "unreadable-file", "不是电子表格"),
    (lambda: hostile.encrypted(hostile.base_xlsx()), "unreadable-file", "打开密码"),
])
def test_refused_with_code_and_message(make, code, words):
    verdict = inspect_bytes(make(), ".xlsx")
    assert verdict.kind is None and verdict.code == code and words in verdict.message


def test_zip_bomb_refused_by_declared_size(monkeypatch):
    monkeypatch.setattr(filecheck, "MAX_INFLATED_BYTES", 8 << 20)
    data = hostile.zip_bomb(16)
    assert len(data) < 200_000  # 16 MB of XML in a small file
    verdict = inspect_bytes(data, ".xlsx")
    assert verdict.code == "unsafe-file" and "压缩炸弹" in verdict.message


def test_a_million_formatted_empty_rows_is_read_fast_and_allowed():
    data = hostile.million_formatted_rows()
    start = time.perf_counter()
    assert inspect_bytes(data, ".xlsx").kind == "xlsx"
    assert time.perf_counter() - start < 30  # generous: only guards against a hang


@pytest.mark.parametrize("make", [hostile.far_cell, hostile.entity_bomb,
                                  lambda: hostile.encrypted(hostile.base_xlsx())])
def test_cli_refuses_without_crashing_and_leaves_input_unchanged(tmp_path, make):
    f = hostile.write(tmp_path / "bad.xlsx", make())
    before = hashlib.sha256(f.read_bytes()).hexdigest()
    res = CliRunner().invoke(cli, ["validate", str(f)])
    assert res.exit_code == 1, res.output
    assert f"{f}: [" in res.output and "Traceback" not in res.output
    assert hashlib.sha256(f.read_bytes()).hexdigest() == before
