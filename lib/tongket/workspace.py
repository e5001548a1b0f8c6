"""An office's workspace: its own rules, templates, notebooks, data and outputs, apart from the kit.

`tongket init THƯ_MỤC` copies the kit's defaults (params/, templates/, notebooks/, the sample in
data/) into a new folder and marks it (`.tongket`: the kit's version and each copied file's hash).
Every command run inside the folder then uses its files (common.paths). A newer kit never
overwrites them: `tongket init THƯ_MỤC --cap-nhat` lists what the new defaults would change, and
`--ap-dung` applies only what the office has not edited itself (an edited file gets the kit's new
version beside it, «….ban_moi…», to compare by hand).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from .common.files import file_digest
from .common.paths import MARKER, kit_root
from .errors import TongketError

__all__ = ["Changes", "init", "kit_files", "update", "workspace_commands"]

# What a workspace holds of the kit (folders relative to the kit's root), and what it makes empty.
PARTS = {"params": "*", "templates": "*", "notebooks": "*.ipynb", "data/sample": "*.xlsx"}
EMPTY = ("outputs",)


def _version() -> str:
    from importlib import metadata

    return metadata.version("tongket")


def kit_files(root: Path | None = None) -> dict[str, Path]:
    """The kit's default files a workspace copies, by their path in the workspace (posix)."""
    root = root or kit_root()
    out: dict[str, Path] = {}
    for part, pattern in PARTS.items():
        base = root / part
        for f in sorted(base.rglob(pattern)):
            if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith((".", "~$")):
                out[(Path(part) / f.relative_to(base)).as_posix()] = f
    return out


def _record(folder: Path, hashes: dict[str, str]) -> None:
    (folder / MARKER).write_text(json.dumps({"phien_ban": _version(), "tep": hashes}, ensure_ascii=False, indent=1)
                                 + "\n", encoding="utf-8")


def _recorded(folder: Path) -> dict:
    marker = folder / MARKER
    if not marker.is_file():
        raise TongketError(f"«{folder}» không phải thư mục làm việc của tongket (không có tệp {MARKER}). "
                           f"Tạo bằng: tongket init {folder}")
    return json.loads(marker.read_text(encoding="utf-8"))


def init(folder: Path) -> list[str]:
    """Make `folder` an office's workspace from the kit's defaults; returns the files copied."""
    folder = folder.expanduser().resolve()
    if (folder / MARKER).is_file():
        raise TongketError(f"«{folder}» đã là thư mục làm việc: không ghi đè tệp của đơn vị. Xem thay đổi của "
                           f"phiên bản mới: tongket init {folder} --cap-nhat")
    if folder.exists() and any(folder.iterdir()):
        raise TongketError(f"Thư mục «{folder}» đã có tệp: chọn một thư mục mới hoặc trống. Chưa ghi gì.")
    files = kit_files()
    hashes = {}
    for rel, src in files.items():
        dst = folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        hashes[rel] = file_digest(dst)
    for name in EMPTY:
        (folder / name).mkdir(parents=True, exist_ok=True)
    _record(folder, hashes)
    return sorted(files)


@dataclass
class Changes:
    """What a newer kit would change in a workspace's defaults."""

    moi: list[str] = field(default_factory=list)  # new in the kit: added
    cap_nhat: list[str] = field(default_factory=list)  # changed in the kit, not edited here: replaced
    da_sua: list[str] = field(default_factory=list)  # changed in the kit AND edited here: the office decides
    giu: list[str] = field(default_factory=list)  # edited here, unchanged in the kit: kept as is

    def lines(self) -> list[str]:
        """The changes as the analyst reads them."""
        out = []
        for title, names in (("Tệp mới của bộ công cụ (sẽ thêm)", self.moi),
                             ("Tệp mặc định đã đổi, đơn vị chưa sửa (sẽ thay bằng bản mới)", self.cap_nhat),
                             ("Tệp mặc định đã đổi nhưng đơn vị đã sửa (giữ bản của đơn vị; bản mới ghi bên "
                              "cạnh, tên có «.ban_moi», để so sánh)", self.da_sua)):
            if names:
                out += [f"{title}: {len(names)}", *(f"  - {n}" for n in names)]
        return out or ["Không có gì thay đổi: các tệp mặc định giống phiên bản bộ công cụ đang cài."]


def update(folder: Path, apply: bool = False) -> Changes:
    """Compare a workspace with the installed kit's defaults; with `apply`, take what is safe."""
    folder = folder.expanduser().resolve()
    recorded = _recorded(folder)["tep"]
    changes = Changes()
    new_hashes = dict(recorded)
    for rel, src in kit_files().items():
        dst = folder / rel
        kit_hash = file_digest(src)
        if not dst.exists():
            if rel not in recorded:  # deleted on purpose by the office: not brought back
                changes.moi.append(rel)
                if apply:
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)
                    new_hashes[rel] = kit_hash
            continue
        mine = file_digest(dst)
        edited = mine != recorded.get(rel)
        if kit_hash in (mine, recorded.get(rel)):
            if edited and mine != kit_hash:
                changes.giu.append(rel)
            continue
        if not edited:
            changes.cap_nhat.append(rel)
            if apply:
                shutil.copyfile(src, dst)
                new_hashes[rel] = kit_hash
        else:
            changes.da_sua.append(rel)
            if apply:
                shutil.copyfile(src, dst.with_name(f"{dst.stem}.ban_moi{dst.suffix}"))
    if apply:
        _record(folder, new_hashes)
    return changes


# --- the commands ---------------------------------------------------------------------------------

def _here_or(folder: str | None) -> Path:
    from .common.paths import workspace_of

    if folder:
        return Path(folder).expanduser().resolve()
    found = workspace_of(Path.cwd())
    if found is None:
        raise TongketError("Không ở trong thư mục làm việc nào: nêu THƯ_MỤC, hoặc tạo bằng «tongket init THƯ_MỤC»")
    return found


@click.command("init")
@click.argument("folder", metavar="THƯ_MỤC", type=click.Path(file_okay=False))
@click.option("--cap-nhat", "cap_nhat", is_flag=True,
              help="Không tạo mới: xem phiên bản bộ công cụ đang cài sẽ đổi gì trong các tệp mặc định.")
@click.option("--ap-dung", "ap_dung", is_flag=True,
              help="Cùng --cap-nhat: áp dụng các thay đổi an toàn (không ghi đè tệp đơn vị đã sửa).")
def init_command(folder: str, cap_nhat: bool, ap_dung: bool) -> None:
    """Tạo thư mục làm việc của đơn vị: params/, templates/, notebooks/, data/, outputs/."""
    path = Path(folder)
    if cap_nhat or ap_dung:
        changes = update(path, apply=ap_dung)
        click.echo("\n".join(changes.lines()))
        if not ap_dung and (changes.moi or changes.cap_nhat or changes.da_sua):
            click.echo(f"Chưa thay đổi gì. Áp dụng: tongket init {folder} --cap-nhat --ap-dung")
        return
    copied = init(path)
    click.echo(f"Đã tạo thư mục làm việc {path.resolve()} ({len(copied)} tệp mặc định của bộ công cụ "
               f"{_version()}).\nTừ thư mục đó: tongket check data/sample/tinh_mau.xlsx, "
               "tongket run params/tong_ket_2021.yaml, tongket lab.")


@click.command("demo")
@click.argument("folder", metavar="THƯ_MỤC", required=False, type=click.Path(file_okay=False))
def demo_command(folder: str | None) -> None:
    """Chạy thử kỳ đánh giá mẫu trong một thư mục làm việc mới (mặc định: tongket_mau)."""
    path = Path(folder or "tongket_mau").resolve()
    if not (path / MARKER).is_file():
        init(path)
        click.echo(f"Đã tạo thư mục làm việc {path}")
    done = subprocess.run([sys.executable, "-m", "tongket", "run", "params/tong_ket_2021.yaml"], cwd=path,
                          check=False)
    if done.returncode:
        raise SystemExit(done.returncode)


def _jupyter(args: list[str], folder: Path) -> None:
    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    mine = kit_root() / "tools" / "lab_overrides.json"
    mine = mine if mine.is_file() else kit_root() / "lab_overrides.json"
    if mine.is_file() and not settings.is_file():  # JupyterLab's news and update checks off (closed networks)
        settings.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mine, settings)
    env = dict(os.environ, TONGKET_HOME=str(folder))
    raise SystemExit(subprocess.run([sys.executable, "-m", *args], cwd=folder, env=env, check=False).returncode)


@click.command("lab")
@click.argument("folder", metavar="THƯ_MỤC", required=False, type=click.Path(file_okay=False))
def lab_command(folder: str | None) -> None:
    """Mở sổ tay đánh giá trong JupyterLab, trên thư mục làm việc."""
    path = _here_or(folder)
    _jupyter(["jupyter", "lab", f"--ServerApp.root_dir={path}", "notebooks/so_tay_danh_gia.ipynb"], path)


@click.command("dashboard")
@click.argument("folder", metavar="THƯ_MỤC", required=False, type=click.Path(file_okay=False))
def dashboard_command(folder: str | None) -> None:
    """Bảng điều khiển cho Ban Thường vụ (Voilà, không hiện mã) trên http://localhost:8866."""
    path = _here_or(folder)
    _jupyter(["voila", "notebooks/kham_pha.ipynb", "--port=8866"], path)


def workspace_commands() -> list[click.Command]:
    """The commands of this module, for the command line's group."""
    return [init_command, demo_command, lab_command, dashboard_command]
