"""The citiesgrow-match command: output, exit codes and readable errors."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from matching.solver.cli import main
from tests.matching.solver.builders import europe


def write(tmp_path: Path, data: object, name: str = "problem.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_good_file_prints_the_result_and_exits_0(tmp_path, capsys):
    assert main([str(write(tmp_path, europe())), "--time-limit", "10", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out)
    assert (result["status"], result["objective"]) == ("optimal", 10)
    assert out.startswith('{\n  "status": "optimal"')  # indented by 2


def test_out_writes_the_same_json(tmp_path, capsys):
    target = tmp_path / "result.json"
    assert main([str(write(tmp_path, europe())), "--out", str(target)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(target.read_text(encoding="utf-8")) == printed


def test_infeasible_exits_1_with_the_explanation(tmp_path, capsys):
    assert main([str(write(tmp_path, europe(require_all=True)))]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "infeasible"
    assert result["explanation"]["details"][0]["code"] == "counts_impossible"


def test_malformed_json_exits_2_naming_line_and_column(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "themes": [\n    {"id": "A" "pairs": 1}\n  ]\n}\n', encoding="utf-8")
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"citiesgrow-match: {path} is not valid JSON: Expecting ',' delimiter at line 3, "
        "column 16\n"
    )


def test_invalid_problem_exits_2_listing_every_error(tmp_path, capsys):
    data = europe()
    data["themes"][0]["pairs"] = -1
    data["cities"][0]["country"] = ""
    assert main([str(write(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "is not a valid matching problem (2 errors):" in err
    assert "  themes[0].pairs: must be a whole number, 0 or more, got -1" in err
    assert "  cities[0].country: must be a non-empty string" in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(europe())))
    assert main(["-"]) == 0
    assert json.loads(capsys.readouterr().out)["objective"] == 10


def test_progress_goes_to_stderr(tmp_path, capsys):
    assert main([str(write(tmp_path, europe())), "--progress"]) == 0
    captured = capsys.readouterr()
    assert "citiesgrow-match: value" in captured.err
    json.loads(captured.out)


def test_installed_script(tmp_path):
    script = shutil.which("citiesgrow-match") or str(
        Path(sys.executable).parent / "citiesgrow-match"
    )
    done = subprocess.run(  # noqa: S603 - our own console script on a file we wrote
        [script, str(write(tmp_path, europe())), "--time-limit", "10"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pairs"][0]["mentor"] == "cork"
