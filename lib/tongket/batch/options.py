"""A run's options, each declared once with its default and its Vietnamese help (the command line's
options of `tongket run` are built from these declarations)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.deprecated import warn
from ..rules.settings import setting  # one way to declare a setting with its default and help
from .engines import DEFAULT_ENGINE, DEFAULT_TIMEOUT, engines_help, require_engine

if TYPE_CHECKING:
    from .manifest import Entry


@dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do (fields in the order `run` takes them positionally)."""

    params: str | Path | None = setting(None, "Tệp tham số kỳ đánh giá (mặc định: kỳ mẫu trong params/).")
    data: str | Path | None = setting(None, "Sổ Excel dữ liệu (mặc định: theo tham số).")
    nam: int | None = setting(None, "Năm đánh giá (mặc định: theo tham số).")
    ma_bao_cao: Sequence[str] | None = setting(
        None, "Chỉ chạy các đơn vị báo cáo (huyện, hoặc Đoàn cơ sở với --cap-bao-cao co_so) có mã này (lặp lại "
              "hoặc ngăn cách bằng dấu phẩy).")
    jobs: int | None = setting(None, "Số tiến trình song song (mặc định: số nhân CPU).")
    out: str | Path | None = setting(None, "Thư mục kết quả (mặc định: outputs/).")
    progress: bool = setting(True, "Hiện thanh tiến độ khi chạy.")
    pdf: bool = setting(False, "Chuyển mọi văn bản sang PDF (cần LibreOffice).")
    gop_phieu: bool = setting(False, "Gộp các phiếu đánh giá Đoàn cơ sở của mỗi huyện thành một tệp.")
    engine: str = setting(DEFAULT_ENGINE, engines_help())
    force: bool = setting(False, "Chạy lại mọi đơn vị, kể cả đơn vị có dữ liệu không đổi.")
    timeout: float = setting(DEFAULT_TIMEOUT, "Thời gian tối đa (giây) cho mỗi ô của sổ tay một đơn vị; quá thời "
                                           "gian thì dừng đơn vị đó.")
    scheduler: str | None = setting(None, "Địa chỉ bộ điều phối Dask (tcp://máy:8786) để chạy trên cụm máy.")
    executor: Executor | None = setting(None, "Bộ thực thi kiểu concurrent.futures có sẵn (mặc định: các tiến "
                                           "trình trên máy này).")
    notebooks_dir: str | Path | None = setting(None, "Thư mục sổ tay của lần chạy (mặc định: notebooks/).")
    on_unit: Callable[[Entry, int, int], None] | None = setting(
        None, "Hàm được gọi khi mỗi đơn vị xong: on_unit(đơn vị, số đã xong, tổng số).")
    start_method: str | None = setting(None, "Cách khởi động tiến trình (mặc định: «forkserver» nếu hệ điều hành có, "
                                          "để mỗi tiến trình chỉ giữ số liệu của đơn vị nó chạy; không thì như hệ "
                                          "điều hành; «spawn»: chạy từ kernel Jupyter, vốn có luồng, không được fork).")
    cap_bao_cao: str | None = setting(
        None, "Cấp lập báo cáo: huyen (mỗi huyện một bộ văn bản) hoặc co_so (mỗi Đoàn cơ sở, như sau sắp xếp năm "
              "2025); mặc định: theo tham số (cap_bao_cao), không có thì huyen.")

    def __post_init__(self) -> None:
        require_engine(self.engine)

    @classmethod
    def of(cls, *args: Any, huyen: Sequence[str] | None = None, **kwargs: Any) -> RunOptions:
        """The options of a call of `run`: positional in the fields' order, or by keyword;
        `huyen` is the deprecated name of `ma_bao_cao`."""
        names = [f.name for f in fields(cls)]
        if len(args) > len(names):
            raise TypeError(f"run() takes at most {len(names)} positional arguments ({len(args)} given)")
        given = dict(zip(names, args))
        twice = sorted(set(given) & set(kwargs))
        if twice:
            raise TypeError(f"run() got multiple values for {', '.join(twice)}")
        given |= kwargs
        if huyen is not None:
            warn("run(huyen=...)", "run(ma_bao_cao=...)", stacklevel=3)
            if given.get("ma_bao_cao") is not None:
                raise TypeError("run() got both huyen and ma_bao_cao: pass ma_bao_cao only")
            given["ma_bao_cao"] = huyen
        return cls(**given)

    @classmethod
    def help(cls, name: str) -> str:
        """The Vietnamese help of the option `name`."""
        return str(_field(name).metadata["help"])

    @classmethod
    def default(cls, name: str) -> Any:
        """The default of the option `name`."""
        return _field(name).default


def _field(name: str) -> Any:
    return {f.name: f for f in fields(RunOptions)}[name]

