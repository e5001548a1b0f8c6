"""Is JupyterLab ready for the workbook? Matching ipywidgets and jupyterlab_widgets, the widget
manager extension installed, and a default kernel that imports the kit. Run by `make lab` and
`make dashboard` in the lab environment; prints what it found, in Vietnamese, and exits 1 if the
widgets could not display."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# ipywidgets 8.1.x draws through jupyterlab_widgets 3.0.x (the pair released together).
PAIRS = {"8": "3"}


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def problems() -> tuple[list[str], list[str]]:
    """What is fine and what is wrong, each as Vietnamese lines."""
    ok, bad = [], []
    widgets, lab_widgets, lab = _version("ipywidgets"), _version("jupyterlab_widgets"), _version("jupyterlab")
    if lab is None:
        bad.append("Chưa cài JupyterLab trong môi trường này: chạy «make lab» (lệnh tự cài).")
    if widgets is None or lab_widgets is None:
        bad.append("Thiếu ipywidgets hoặc jupyterlab_widgets: chạy lại «make lab».")
    elif PAIRS.get(widgets.split(".")[0]) != lab_widgets.split(".")[0]:
        bad.append(f"ipywidgets {widgets} không khớp với jupyterlab_widgets {lab_widgets}: bảng điều khiển sẽ không "
                   "hiện. Cài lại đúng phiên bản: xóa thư mục .venv-lab rồi chạy «make lab».")
    else:
        ok.append(f"ipywidgets {widgets} và jupyterlab_widgets {lab_widgets} khớp nhau")
    manager = Path(sys.prefix) / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/package.json"
    if lab is not None and not manager.is_file():
        bad.append("JupyterLab chưa có phần mở rộng hiển thị widget (@jupyter-widgets/jupyterlab-manager): "
                   "xóa thư mục .venv-lab rồi chạy «make lab».")
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec("python3")
        done = subprocess.run([spec.argv[0], "-c", "import tongket, ipywidgets"], capture_output=True, text=True)
        if done.returncode:
            bad.append(f"Nhân «{spec.display_name}» ({spec.argv[0]}) không nạp được bộ công cụ tongket: "
                       "xóa thư mục .venv-lab rồi chạy «make lab».")
        else:
            ok.append(f"nhân mặc định «{spec.display_name}» nạp được tongket")
    except Exception as exc:  # noqa: BLE001 - any failure here is reported, not raised
        bad.append(f"Không tìm thấy nhân Python 3 cho sổ tay ({exc}): chạy lại «make lab».")
    return ok, bad


def main() -> int:
    """Print what was found; 1 where the widgets could not display."""
    ok, bad = problems()
    for line in bad:
        print(f"[lỗi] {line}", file=sys.stderr)
    if bad:
        return 1
    print(f"JupyterLab sẵn sàng: {'; '.join(ok)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
