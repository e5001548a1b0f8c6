"""The settings of a review cycle that several steps read, each declared once with its default and the
help text an analyst reads: which score decides a rating, how documents are read back, the largest
count accepted, and the cycle file's sections as typed records (verification, so_ket, documents, text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, cast

from ..common.files import shown
from ..errors import ConfigError

MAX_COUNT = 10_000_000  # default bound of a count (params: gioi_han.so_luong_toi_da)

# The sources a cycle may name (params `nguon_diem`), each with the help text an analyst reads.
NGUON_DIEM: dict[str, str] = {
    "so_lieu": "điểm ở cột «Điểm» (diem) của trang co_so trong sổ số liệu quyết định xếp loại; "
               "điểm theo bảng điểm (nếu có) chỉ để đối chiếu",
    "bang_diem": "điểm theo bảng điểm của kỳ quyết định xếp loại (mục đo tính từ số liệu; mục do đơn vị chấm "
                 "lấy điểm thẩm định, chưa có thì điểm tự chấm); cột «Điểm» chỉ để đối chiếu",
    "cap_tren": "điểm cấp trên thẩm định quyết định: bảng điểm của kỳ, các mục do đơn vị chấm chỉ tính điểm "
                "thẩm định (điểm tự chấm không được tính); cột «Điểm» chỉ để đối chiếu",
}
DEFAULT_NGUON_DIEM = "so_lieu"  # the workbook's `diem` (contract §3) decides unless the cycle says otherwise
DEFAULT_CHENH_LECH = 5.0  # points (out of 100) two scores of one unit may differ by before the run warns
HELP = {
    "nguon_diem": "Nguồn điểm quyết định xếp loại Đoàn cơ sở: " + "; ".join(f"«{k}»: {v}" for k, v in NGUON_DIEM.items())
                  + ". Đơn vị đặc thù luôn chấm theo bảng điểm riêng. Xếp loại nhập sẵn ở cột «Xếp loại» vẫn là "
                    "xếp loại chính thức.",
    "chenh_lech_diem": "Mức chênh lệch (điểm, thang 100) giữa hai nguồn điểm của một đơn vị mà quá mức đó thì "
                       "lần chạy cảnh báo (mặc định 5).",
}
# The setting `kiem_tra_van_ban` of a cycle file, each value with its meaning (declared once).
MODES = {
    "loi": "văn bản vi phạm thì đơn vị báo cáo bị coi là lỗi (không hoàn thành), nêu rõ văn bản và đoạn vi phạm",
    "canh_bao": "văn bản vi phạm vẫn được ghi, vi phạm được nêu thành cảnh báo trong nhật ký chạy và màn hình",
    "tat": "không kiểm tra văn bản sau khi ghi",
}
DEFAULT_MODE = "loi"


def check_source(nguon: Any, tolerance: Any, has_sheets: bool) -> tuple[str, float]:
    """The cycle's source rule and tolerance, checked (Vietnamese message naming the key and the fix)."""
    nguon = DEFAULT_NGUON_DIEM if nguon in (None, "") else str(nguon)
    if nguon not in NGUON_DIEM:
        raise ConfigError(f"nguon_diem phải là một trong {', '.join(f'«{k}»' for k in NGUON_DIEM)}, gặp «{shown(nguon)}»")
    if nguon != "so_lieu" and not has_sheets:
        raise ConfigError(f"nguon_diem: «{nguon}» cần bảng điểm: khai báo score_sheets trong tệp tham số, "
                          "hoặc dùng nguon_diem: so_lieu")
    tol = DEFAULT_CHENH_LECH if tolerance in (None, "") else tolerance
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= float(tol) <= 100:
        raise ConfigError(f"chenh_lech_diem phải là số điểm từ 0 đến 100 (ví dụ 5), gặp «{shown(tolerance)}»")
    return nguon, float(tol)


# ------------------------------------------------------------------ the cycle file's sections, typed
# Each section of a cycle file is a frozen record; every field declares its default and the help an
# analyst reads once (`setting`), and its key in the file where that differs from the field's name.
# params.load_cycle builds and checks them (Vietnamese messages naming the key).


def setting(default: Any = None, help: str = "", *, key: str | None = None,
            factory: Callable[[], Any] | None = None) -> Any:
    """A field of a section: its default (or `factory` for a mutable one), help text and file key."""
    meta = {"help": help, "key": key}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


class Section:
    """A section of a cycle file: its keys with their help."""

    @classmethod
    def keys(cls) -> dict[str, str]:
        """The section's keys in the cycle file -> the fields holding them."""
        return {f.metadata.get("key") or f.name: f.name for f in fields(cast(Any, cls))}

    @classmethod
    def help(cls) -> dict[str, str]:
        """The help text of every key of the section, by its key in the cycle file."""
        return {f.metadata.get("key") or f.name: f.metadata.get("help", "") for f in fields(cast(Any, cls))}


@dataclass(frozen=True)
class Verification(Section):
    """`verification`: the random sample of branches the verification team checks [001]."""

    share: float = setting(0.2, "Tỉ lệ chi đoàn báo cáo đạt chuẩn của mỗi Đoàn cơ sở được chọn ngẫu nhiên để "
                                "thẩm định: một số trong (0; 1], ví dụ 0.2 cho 20 % (mặc định 0.2)")
    minimum: int = setting(1, "Số chi đoàn tối thiểu được chọn ở mỗi Đoàn cơ sở: số nguyên từ 0 (mặc định 1)",
                           key="min")
    seed: int = setting(0, "Mã lần chọn: cùng mã và cùng số liệu thì chọn lại đúng các chi đoàn đó, ai cũng "
                           "kiểm chứng được; số nguyên từ 0 (mặc định 0)")

    @classmethod
    def of(cls, settings: Verification | Mapping[str, Any]) -> Verification:
        """The section itself, or one read from a plain mapping (share/min/seed) with the defaults."""
        if isinstance(settings, Verification):
            return settings
        given = {name: settings[key] for key, name in cls.keys().items() if settings.get(key) is not None}
        return cls(**given)


@dataclass(frozen=True)
class Plan(Section):
    """`so_ket.ke_hoach`: the province's plan of the programme, cited in a decision's «Căn cứ»."""

    so: str | None = setting(None, "Số, ký hiệu của kế hoạch, ví dụ 65-KH/TĐTN-TCKT (không có: không trích dẫn)")
    ngay: date | None = setting(None, "Ngày ban hành kế hoạch, dạng YYYY-MM-DD")
    co_quan: str | None = setting(None, "Cơ quan ban hành kế hoạch, ví dụ Ban Thường vụ Tỉnh Đoàn")


@dataclass(frozen=True)
class Programme(Section):
    """`so_ket`: the programme a sơ kết reviews over several years [002]."""

    tu_nam: int | None = setting(None, "Năm bắt đầu chương trình (mặc định: năm đầu tiên có số liệu)")
    den_nam: int | None = setting(None, "Năm kết thúc giai đoạn của chương trình (giai đoạn tu_nam–den_nam); "
                                        "không có: giai đoạn tính đến năm báo cáo")
    ten: str | None = setting(None, "Tên chương trình như kế hoạch gọi (mặc định: xây dựng Đoàn cơ sở "
                                    "“3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn)")
    ke_hoach: Plan = setting(help="Kế hoạch của tỉnh về chương trình: so, ngay, co_quan", factory=Plan)


@dataclass(frozen=True)
class Documents(Section):
    """`documents`: which documents each level issues and the document details of issuing units."""

    types: Mapping[str, tuple[str, ...]] = setting(
        help="Các văn bản mỗi cấp ban hành, theo cấp (mặc định: mọi văn bản áp dụng cho cấp đó)", factory=dict)
    defaults: Mapping[str, Mapping[str, Any]] = setting(
        help="Thể thức văn bản mặc định theo cấp (số, ký hiệu, người ký, nơi nhận …; van_ban: riêng từng loại "
             "văn bản)", factory=dict)
    units: Mapping[str, Mapping[str, Any]] = setting(
        help="Thể thức văn bản riêng của từng đơn vị, theo mã đơn vị (ghi đè mặc định của cấp)", factory=dict)


@dataclass(frozen=True)
class Texts(Section):
    """`text`: the analyst's own sections typed in the cycle file (text files in `text_dir` win)."""

    sections: Mapping[str, tuple[str, ...]] = setting(
        help="Các phần lời văn chung cho mọi đơn vị (thuan_loi, kho_khan, phuong_huong …): một đoạn hoặc một "
             "danh sách đoạn", factory=dict)
    units: Mapping[str, Mapping[str, tuple[str, ...]]] = setting(
        help="Các phần lời văn riêng của từng đơn vị, theo mã đơn vị", factory=dict)

    @classmethod
    def keys(cls) -> dict[str, str]:
        """The file's keys: `units`; every other key is a section of `sections`."""
        return {"units": "units"}

    @classmethod
    def help(cls) -> dict[str, str]:
        """The help of `units` and, under "*", of any other key (a shared section)."""
        declared = {f.name: f.metadata["help"] for f in fields(cls)}
        return {"*": declared["sections"], "units": declared["units"]}


def year_of(file: str, key: str, v: Any, fix: str = "gõ năm, ví dụ 2018") -> int:
    """A year typed in the cycle file (a value, or a mapping's key): a whole number 1900–2100, else a
    Vietnamese ConfigError naming the file, the key and what to type."""
    try:
        year = int(v) if not isinstance(v, (bool, float)) else 0
    except (TypeError, ValueError):
        year = 0
    if not 1900 <= year <= 2100:
        raise ConfigError(f"Tệp tham số {file}, khóa {key}: «{v}» không phải năm. Cách sửa: {fix}")
    return year

