"""An office's workspace (tongket init): the kit's defaults copied once, every command inside it
using its files, and a newer kit never overwriting what the office edited."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from tongket import workspace
from tongket.common.paths import MARKER
from tongket.errors import TongketError


def test_init_copies_the_kits_defaults_and_records_them(tmp_path):
    folder = tmp_path / "Tỉnh Đoàn Sông Tiền"  # a Vietnamese path with spaces
    copied = workspace.init(folder)
    assert {"params/tong_ket_2021.yaml", "templates/bao_cao_tong_ket.docx", "notebooks/bao_cao_huyen.ipynb",
            "data/sample/tinh_mau.xlsx", "params/scales/xep_loai_2019.yaml"} <= set(copied)
    assert (folder / "outputs").is_dir()
    for rel in copied:
        assert (folder / rel).read_bytes() == (ROOT / rel).read_bytes()
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert set(marker["tep"]) == set(copied) and marker["phien_ban"]


def test_init_never_writes_over_a_folder_in_use(tmp_path):
    used = tmp_path / "co_tep"
    used.mkdir()
    (used / "so_lieu.xlsx").write_text("x")
    with pytest.raises(TongketError, match="đã có tệp: chọn một thư mục mới hoặc trống. Chưa ghi gì"):
        workspace.init(used)
    workspace.init(tmp_path / "ws")
    with pytest.raises(TongketError, match="đã là thư mục làm việc: không ghi đè.*--cap-nhat"):
        workspace.init(tmp_path / "ws")


def _newer_kit(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the kit's defaults, then changed as a next release would change them."""
    kit = tmp_path / "kit_moi"
    for rel, src in workspace.kit_files().items():
        (kit / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, kit / rel)
    (kit / "templates").mkdir(exist_ok=True)
    monkeypatch.setattr(workspace, "kit_root", lambda: kit)
    return kit


def test_a_newer_kit_changes_only_what_the_office_did_not_edit(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    workspace.init(ws)
    # The office edits its cycle file and its rubric, and deletes a scale it does not use.
    cycle, rubric = ws / "params/tong_ket_2021.yaml", ws / "params/rubrics/chi_doan_dat_chuan.yaml"
    cycle.write_text(cycle.read_text(encoding="utf-8") + "\n# sửa của văn phòng\n", encoding="utf-8")
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# ngưỡng riêng\n", encoding="utf-8")
    (ws / "params/scales/xep_loai_2011.yaml").unlink()
    # The next kit changes the rubric (edited here), the 2025 scale (not edited), the 2011 scale
    # (deleted here) and adds a score sheet.
    kit = _newer_kit(tmp_path, monkeypatch)
    for rel in ("params/rubrics/chi_doan_dat_chuan.yaml", "params/scales/xep_loai_2025.yaml",
                "params/scales/xep_loai_2011.yaml"):
        (kit / rel).write_text((kit / rel).read_text(encoding="utf-8") + "\n# bản mới\n", encoding="utf-8")
    (kit / "params/bang_diem/bang_diem_moi.yaml").write_text("ten: mới\n", encoding="utf-8")

    seen = workspace.update(ws)
    assert seen.moi == ["params/bang_diem/bang_diem_moi.yaml"]
    assert seen.cap_nhat == ["params/scales/xep_loai_2025.yaml"]
    assert seen.da_sua == ["params/rubrics/chi_doan_dat_chuan.yaml"]
    assert seen.giu == ["params/tong_ket_2021.yaml"]
    assert not (ws / "params/bang_diem/bang_diem_moi.yaml").exists()  # only shown, nothing applied
    assert "# bản mới" not in (ws / "params/scales/xep_loai_2025.yaml").read_text(encoding="utf-8")

    workspace.update(ws, apply=True)
    assert (ws / "params/bang_diem/bang_diem_moi.yaml").read_text(encoding="utf-8") == "ten: mới\n"
    assert (ws / "params/scales/xep_loai_2025.yaml").read_text(encoding="utf-8").endswith("# bản mới\n")
    assert rubric.read_text(encoding="utf-8").endswith("# ngưỡng riêng\n")  # the office's edit stays
    assert (ws / "params/rubrics/chi_doan_dat_chuan.ban_moi.yaml").read_text(encoding="utf-8").endswith("# bản mới\n")
    assert cycle.read_text(encoding="utf-8").endswith("# sửa của văn phòng\n")
    assert not (ws / "params/scales/xep_loai_2011.yaml").exists()  # deleted on purpose: not brought back
    again = workspace.update(ws)  # applied: only the office's own decisions are left
    assert (again.moi, again.cap_nhat) == ([], []) and again.da_sua == ["params/rubrics/chi_doan_dat_chuan.yaml"]


def test_every_command_inside_a_workspace_uses_its_files(tmp_path):
    ws = tmp_path / "ws"
    workspace.init(ws)
    (ws / "outputs/2021").mkdir(parents=True)
    code = "from tongket.common import paths; print(paths.ROOT); print(paths.TEMPLATES); print(paths.OUTPUTS)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ws / "outputs/2021", capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [str(ws), str(ws / "templates"), str(ws / "outputs")]
    outside = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                             check=True).stdout.split()
    assert outside[0] == str(ROOT)  # a developer's checkout, outside any workspace


def test_the_update_command_says_what_it_would_do_in_vietnamese(tmp_path, capsys):
    from tongket.cli import main

    main(["init", str(tmp_path / "ws")])
    assert "Đã tạo thư mục làm việc" in capsys.readouterr().out
    main(["init", str(tmp_path / "ws"), "--cap-nhat"])
    assert "Không có gì thay đổi: các tệp mặc định giống phiên bản bộ công cụ đang cài." in capsys.readouterr().out


@pytest.mark.slow
def test_the_wheel_carries_the_whole_kit(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("tongket-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    kit = {f"tongket/_kit/{rel}" for rel in workspace.kit_files()}
    assert kit <= names, sorted(kit - names)[:5]
    assert {"tongket/_kit/lab_overrides.json", "tongket/locale/vi/LC_MESSAGES/messages.mo",
            "tongket/cli.py"} <= names
    assert not any(n.startswith(("tests/", "tools/", "benchmarks/")) for n in names)
