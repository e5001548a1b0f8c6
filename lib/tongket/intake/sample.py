"""A seeded sample province, written as an exchange workbook (contract §3).

Fictional province "Tỉnh Đoàn Sông Tiền", clearly marked as sample data. Six districts (one Đoàn
Khối), 8–15 Đoàn cơ sở each, 4–10 chi đoàn each, years 2018–2021. Most branches improve, some
regress, a few miss a year or leave cells blank.

    python -m tongket.intake.sample data/sample/tinh_mau.xlsx
"""

from __future__ import annotations

import itertools
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..common.files import FIXED_TIME, atomic_path
from ..common.schema import BA_CHU_DONG, CHI_DOAN, CO_SO, DIEM_CHAM, DON_VI, MO_HINH, MOT_CONG_MOT
from . import sample_models
from .sample_cadres import add_cadres
from .sample_members import add_members
from .sample_upkeep import write_registrations

SEED = 20211231
YEARS = (2018, 2019, 2020, 2021)
SAMPLE_NOTE = "DỮ LIỆU MẪU – tỉnh giả định, không phải số liệu thật"

WARDS = ["Đoàn phường 1", "Đoàn phường 2", "Đoàn phường 3", "Đoàn phường 4", "Đoàn phường 5",
         "Đoàn phường 6", "Đoàn phường 7", "Đoàn phường 8", "Đoàn phường 9", "Đoàn phường 10",
         "Đoàn phường 11", "Đoàn phường 12"]
COMMUNES = ["Đoàn xã An Vĩnh Ngãi", "Đoàn xã Bình Tâm", "Đoàn xã Hướng Thọ Phú", "Đoàn xã Lợi Bình Nhơn",
            "Đoàn xã Nhơn Thạnh Trung", "Đoàn xã Tân Hòa", "Đoàn xã Ông Văn", "Đoàn xã Ấp Bắc",
            "Đoàn xã Đông Thạnh", "Đoàn xã Ea Hleo", "Đoàn xã Mỹ Phước", "Đoàn xã Ưu Long",
            "Đoàn xã Bình Phục Nhứt", "Đoàn xã Gia Thuận", "Đoàn xã Hòa Khánh", "Đoàn xã Long Hựu",
            "Đoàn xã Phú Kiết", "Đoàn xã Thạnh Lợi", "Đoàn xã Vĩnh Kim", "Đoàn xã Đạo Thạnh"]
TOWNS = ["Đoàn thị trấn Tầm Vu", "Đoàn thị trấn Cái Bè", "Đoàn thị trấn Mỹ Phước Tây"]
SCHOOLS = ["Đoàn trường THPT Lê Quý Đôn", "Đoàn trường THPT Nguyễn Đình Chiểu",
           "Đoàn trường Cao đẳng Nghề", "Đoàn trường THPT Trương Định"]
FIRMS = ["Đoàn cơ sở Công ty TNHH Sản xuất & Thương mại Tân Phú", "Đoàn cơ sở Công ty Cổ phần Thủy sản Sông Tiền"]
AGENCIES = ["Đoàn cơ sở Sở Y tế", "Đoàn cơ sở Sở Giáo dục và Đào tạo", "Đoàn cơ sở Sở Tài chính",
            "Đoàn cơ sở Sở Tư pháp", "Đoàn cơ sở Ban Quản lý các khu công nghiệp", "Đoàn cơ sở Kho bạc Nhà nước",
            "Đoàn cơ sở Sở Nội vụ", "Đoàn cơ sở Văn phòng UBND tỉnh", "Đoàn cơ sở Sở Xây dựng",
            "Đoàn cơ sở Đài Phát thanh và Truyền hình"]
HAMLETS = ["Bình Hòa", "Tân Lợi", "Long Thạnh", "Mỹ Lợi", "Phú Hưng", "An Thới", "Hòa Bình", "Thới Sơn",
           "Đông Phú", "Ấp Mới", "Ô Môn", "Ơn Nghĩa"]

DISTRICTS = [  # code, name, kind of grassroots units, skill (how well the district does)
    ("ST01", "Thành Đoàn Tân An", "city", 0.15),
    ("ST02", "Huyện Đoàn Phú Mỹ", "rural", 0.0),
    ("ST03", "Huyện Đoàn Long Điền", "rural", -0.12),
    ("ST04", "Thị Đoàn Hòa Thạnh", "town", 0.05),
    ("ST05", "Huyện Đoàn Đông Hòa", "rural", -0.05),
    ("ST06", "Đoàn Khối Các cơ quan tỉnh", "agencies", 0.1),
]


@dataclass
class Unit:
    ma: str
    ten: str
    cap: str
    cha: str | None
    loai_hinh: str = "khac"
    dac_thu: bool = False
    q: float = 0.5  # latent quality in 2018
    trend: float = 0.08  # yearly change of quality


def _tree(rng: np.random.Generator, districts: list[tuple] | None = None, co_so: int | None = None) -> list[Unit]:
    import itertools

    units = [Unit("ST", "Tỉnh Đoàn Sông Tiền", "tinh", None)]
    extra = [f"Đoàn xã {a} {b}" for a in ("An", "Bình", "Hòa", "Long", "Mỹ", "Phú", "Tân", "Vĩnh", "Đông", "Ông")
             for b in ("Thới", "Lợi", "Hưng", "Phước", "Khánh", "Trung")]
    communes = itertools.cycle([str(c) for c in rng.permutation(COMMUNES)] + [str(c) for c in rng.permutation(extra)])
    for d, (code, name, kind, skill) in enumerate(districts or DISTRICTS):
        units.append(Unit(code, name, "huyen", "ST"))
        n = int(rng.integers(8, 16))
        if kind == "city":
            n = max(n, 13)
        if co_so:
            n = co_so
        if kind == "agencies":
            names = [(a, "co_quan") for a in AGENCIES[:n]]
        else:
            wards = WARDS[: int(rng.integers(10, 13)) if kind == "city" else int(rng.integers(5, 8))] \
                if kind in ("city", "town") else []
            towns = [TOWNS[d % len(TOWNS)]] if kind == "rural" else []
            rest = n - len(wards) - len(towns) - 1
            places = wards + towns + _fresh(communes, max(rest, 1), set(wards + towns))
            names = [(p, "dan_cu") for p in places][: n - 1]
            names.append((SCHOOLS[d % len(SCHOOLS)], "truong_hoc"))
            if code == "ST02":
                names.append((FIRMS[0], "doanh_nghiep"))
            if code == "ST03":
                names.append((FIRMS[1], "doanh_nghiep"))
        for i, (cs_name, kind_cs) in enumerate(names, start=1):
            cs = Unit(f"{code}.{i:02d}", cs_name, "co_so", code, kind_cs, dac_thu=bool(rng.random() < 0.05),
                      q=float(np.clip(rng.normal(0.55 + skill, 0.18), 0.05, 0.95)),
                      trend=float(rng.choice([0.1, 0.08, 0.05, -0.06], p=[0.35, 0.35, 0.18, 0.12])))
            if cs.dac_thu:
                cs.q = min(cs.q, 0.35)
            units.append(cs)
            for j in range(1, int(rng.integers(4, 11)) + 1):
                loai, ten = _branch(kind_cs, cs_name, j, rng)
                units.append(Unit(f"{cs.ma}.{j:02d}", ten, "chi_doan", cs.ma, loai,
                                  q=float(np.clip(rng.normal(cs.q, 0.12), 0.02, 0.98)),
                                  trend=cs.trend + float(rng.normal(0, 0.03))))
        units.append(Unit(f"{code}.CD", f"Chi đoàn Bệnh viện {name.split(' ', 2)[-1]}" if kind != "agencies"
                          else "Chi đoàn Văn phòng Đoàn Khối", "chi_doan", code, "co_quan",
                          q=float(rng.uniform(0.4, 0.8))))
    return units


def _branch(kind: str, cs_name: str, j: int, rng: np.random.Generator) -> tuple[str, str]:
    if kind == "dan_cu":
        if j == 5 and rng.random() < 0.5:
            return "luc_luong_vu_trang", "Chi đoàn Quân sự"
        if "phường" in cs_name or "thị trấn" in cs_name:
            return "dan_cu", f"Chi đoàn khu phố {j}"
        return "dan_cu", f"Chi đoàn ấp {HAMLETS[(j - 1) % len(HAMLETS)]}"
    if kind == "truong_hoc":
        return "truong_hoc", f"Chi đoàn lớp {10 + (j - 1) // 3}A{(j - 1) % 3 + 1}"
    if kind == "doanh_nghiep":
        return "doanh_nghiep", f"Chi đoàn Phân xưởng {j}"
    return "co_quan", f"Chi đoàn Phòng {j}"


def _branch_row(u: Unit, year: int, rng: np.random.Generator) -> dict:
    t = YEARS.index(year)
    q = float(np.clip(u.q + u.trend * t + rng.normal(0, 0.05), 0.02, 0.99))
    difficulty = (0.5, 0.9, 1.0, 1.8, 1.2, 0.7, 0.9)  # tc4 is the hardest in practice, tc1 the easiest
    passes = [rng.random() < 1 - 0.2 * d * (1 - q) for d in difficulty]
    rng.integers(12, 60)  # keeps the stream of draws as it was
    # A branch keeps about its size from year to year (its own stream, so years stay plausible).
    own = np.random.default_rng(zlib.crc32(u.ma.encode()))
    members = int(own.integers(12, 60) * (1 + 0.03 * t)) + t
    youth = int(members * rng.uniform(2.2, 4.0))
    r: dict = {"ma_don_vi": u.ma, "nam": year, "so_doan_vien": members, "so_thanh_nien": youth,
               "so_thanh_nien_tap_hop": int(youth * min(0.95, 0.45 + 0.4 * q + rng.normal(0, 0.04)))}
    r["so_dv_vi_pham_phap_luat"] = 0 if passes[0] else int(rng.integers(1, 3))
    r["so_mo_hinh_kinh_te"] = int(rng.integers(1, 4)) if passes[1] and rng.random() < 0.7 else 0
    r["so_gioi_thieu_viec_lam"] = int(rng.integers(5, 15)) if passes[1] and r["so_mo_hinh_kinh_te"] == 0 \
        else int(rng.integers(0, 5))
    bad3 = int(rng.integers(0, 3))
    r["so_doi_hinh_tinh_nguyen"] = 0 if not passes[2] and bad3 == 0 else int(rng.integers(1, 4))
    r["so_tv_doi_hinh_lon_nhat"] = (int(rng.integers(2, 5)) if not passes[2] and bad3 == 1
                                    else int(rng.integers(5, 30))) if r["so_doi_hinh_tinh_nguyen"] else 0
    r["so_cong_trinh_thanh_nien"] = 0 if not passes[2] and bad3 == 2 else int(rng.integers(1, 4))
    bad4 = rng.random() < 0.6
    r["so_ket_nap_moi"] = int(rng.integers(1, 5)) if not passes[3] and bad4 else int(rng.integers(5, 16))
    r["so_gioi_thieu_dang"] = 0 if not passes[3] and not bad4 else int(rng.integers(1, 4))
    bad5 = int(rng.integers(0, 4))
    r["so_lan_sinh_hoat"] = int(rng.integers(5, 8)) if not passes[4] and bad5 == 0 else int(rng.integers(8, 13))
    r["bien_ban_day_du"] = not (not passes[4] and bad5 == 1)
    r["so_dv_dong_doan_phi"] = members - int(rng.integers(1, 4)) if not passes[4] and bad5 == 2 else members
    r["dai_hoi_chi_doan"] = not (not passes[4] and bad5 == 3)
    r["so_hoat_dong_van_hoa_the_thao"] = int(rng.integers(0, 2)) if not passes[5] else int(rng.integers(2, 7))
    bad7 = int(rng.integers(0, 3))
    r["bi_thu_kinh_te_on_dinh"] = not (not passes[6] and bad7 == 0)
    r["bi_thu_duoc_tap_huan"] = not (not passes[6] and bad7 == 1)
    r["bi_thu_nam_chinh_sach"] = not (not passes[6] and bad7 == 2)
    introduced = int(members * min(0.9, max(0.0, 0.2 + 0.5 * q + rng.normal(0, 0.08))))
    r["so_dv_gioi_thieu_1_1"] = introduced
    r["so_thanh_nien_1_1"] = int(introduced * rng.uniform(0.9, 1.4))
    r["diem"] = round(float(np.clip(45 + 50 * q + rng.normal(0, 4), 20, 100)), 1)
    r["xep_loai"] = None
    return r


def _co_so_row(u: Unit, year: int, rng: np.random.Generator) -> dict:
    t = YEARS.index(year)
    q = float(np.clip(u.q + u.trend * t + rng.normal(0, 0.04), 0.02, 0.99))
    r: dict = {"ma_don_vi": u.ma, "nam": year}
    for k in BA_CHU_DONG:
        r[k] = bool(rng.random() < 0.7 + 0.32 * q)
    score = round(float(np.clip(40 + 58 * q + rng.normal(0, 3), 10, 100)), 1)
    r["diem"], r["xep_loai"] = score, None
    roll = rng.random()
    if roll < 0.1:  # some districts send the official rating as the usual abbreviation
        r["xep_loai"] = "HTXSNV" if score >= 90 else "HTTNV" if score >= 70 else "HTNV" if score >= 50 else "KHTNV"
    r["dot_cao_diem"] = bool(rng.random() < 0.8 + 0.2 * q)
    return r


def generate(seed: int = SEED, districts: list[tuple] | None = None,
             co_so: int | None = None) -> tuple[list[Unit], list[dict], list[dict]]:
    """The sample province: units, branch rows and grassroots rows for every year (`districts`
    and `co_so`, Đoàn cơ sở per district, make a synthetic one; see `synthetic_districts`)."""
    rng = np.random.default_rng(seed)
    units = _tree(rng, districts, co_so)
    cd_rows, cs_rows = [], []
    for year in YEARS:
        for u in units:
            if u.cap == "chi_doan":
                if rng.random() < 0.012:  # a branch that sent nothing this year
                    continue
                row = _branch_row(u, year, rng)
                if year == YEARS[-1] and rng.random() < 0.02:  # a figure left blank
                    row["so_gioi_thieu_viec_lam"] = None
                cd_rows.append(row)
            elif u.cap == "co_so":
                row = _co_so_row(u, year, rng)
                if rng.random() < 0.03:  # not rated this year
                    row["diem"] = None
                    row["xep_loai"] = None
                cs_rows.append(row)
    return units, cd_rows, cs_rows


WORK_TEAMS = ["Tổ công tác số 1 – đ/c Lê Minh Tâm (Ban Tổ chức Tỉnh Đoàn)",
              "Tổ công tác số 2 – đ/c Trần Thị Mỹ Duyên (Ban Phong trào Tỉnh Đoàn)",
              "Tổ công tác số 3 – đ/c Nguyễn Hoàng Phúc (Văn phòng Tỉnh Đoàn)"]


def _extras(units: list[Unit], cd_rows: list[dict], cs_rows: list[dict], seed: int) -> tuple[list, list, dict]:
    """Given scores of the score sheets' self-scored items, half-year "1+1" figures and the work
    teams of special units, from their own random stream (the main figures do not move)."""
    from ..common import paths
    from ..rules.scoresheet import load_score_sheet

    rng = np.random.default_rng(seed + 1)
    sheets = {False: load_score_sheet(paths.PARAMS / "bang_diem/bang_diem_mau.yaml"),
              True: load_score_sheet(paths.PARAMS / "bang_diem/bang_diem_dac_thu.yaml")}
    by_code = {u.ma: u for u in units}
    scores = []
    for r in cs_rows:
        u = by_code[r["ma_don_vi"]]
        if r["diem"] is None:
            continue
        q = r["diem"] / 100
        for item in sheets[u.dac_thu].items:
            if item.measure is None:
                own = round(item.max_points * float(np.clip(q + rng.normal(0.05, 0.08), 0.2, 1)))
                checked = None if rng.random() < 0.1 else max(0, own - int(rng.integers(0, 3)))
                scores.append({"ma_don_vi": u.ma, "nam": r["nam"], "ma_muc": item.id, "tu_cham": own,
                               "tham_dinh": checked})
    half = []
    for r in cd_rows:
        if r["nam"] >= YEARS[-2] and by_code[r["ma_don_vi"]].loai_hinh == "dan_cu":
            share = float(rng.uniform(0.4, 0.65))
            half.append({"ma_don_vi": r["ma_don_vi"], "nam": r["nam"], "ky": 1, "so_doan_vien": r["so_doan_vien"],
                         "so_dv_gioi_thieu_1_1": int(r["so_dv_gioi_thieu_1_1"] * share),
                         "so_thanh_nien_1_1": int(r["so_thanh_nien_1_1"] * share)})
            half.append({"ma_don_vi": r["ma_don_vi"], "nam": r["nam"], "ky": 2, "so_doan_vien": r["so_doan_vien"],
                         "so_dv_gioi_thieu_1_1": r["so_dv_gioi_thieu_1_1"],
                         "so_thanh_nien_1_1": r["so_thanh_nien_1_1"]})
    teams = {u.ma: WORK_TEAMS[k % len(WORK_TEAMS)] for k, u in enumerate(x for x in units if x.dac_thu)}
    return scores, half, teams


def _sheet(wb: openpyxl.Workbook, title: str, columns, rows: list[dict]) -> None:
    if not rows:  # nothing of this kind in the generated province (no special unit, no model): no sheet
        return
    columns = [c for c in columns if any(r.get(c.key) is not None for r in rows) or c.key in ("diem", "xep_loai")]
    ws = wb.create_sheet(title)
    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        values = []
        for c in columns:
            v = r.get(c.key)
            if c.kind == "bool" and v is not None:
                v = "Có" if v else "Không"
            values.append(v)
        ws.append(values)
    for j, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(c.label) + 2))
    ws.freeze_panes = "B2"


def _fresh(names: Iterator[str], k: int, taken: set[str]) -> list[str]:
    """`k` names drawn in turn from `names`, skipping any the district already has: a district never
    lists two Đoàn cơ sở of one name (the cycle of commune names holds «Đoàn xã Hòa Khánh» twice)."""
    out: list[str] = []
    for _ in range(20 * k + 200):
        if len(out) == k:
            break
        name = next(names)
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out + [f"{name} {i + 2}" for i, name in enumerate(itertools.islice(names, k - len(out)))]


def synthetic_districts(n: int) -> list[tuple]:
    """`n` fictional districts with Vietnamese names (codes ST001…), of mixed kinds and skill,
    for benchmarks at provincial and national scale."""
    rng = np.random.default_rng(n)
    first = ("An", "Bình", "Hòa", "Long", "Mỹ", "Phú", "Tân", "Vĩnh", "Đông", "Thạnh", "Hưng", "Phước")
    second = ("Thới", "Lợi", "Hưng", "Phước", "Khánh", "Trung", "Điền", "Hải", "Sơn", "Xuân")
    names = [f"{a} {b}" for a in first for b in second if a != b]
    out = []
    for i in range(n):
        name = names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
        kind = ("rural", "rural", "town", "city")[i % 4]
        prefix = {"rural": "Huyện Đoàn", "town": "Thị Đoàn", "city": "Thành Đoàn"}[kind]
        out.append((f"ST{i + 1:03d}", f"{prefix} {name}", kind, float(rng.normal(0, 0.08))))
    return out


def post_reform(units: list[Unit], cd_rows: list[dict], cs_rows: list[dict]) -> tuple[list, list, list]:
    """The same province after the 2025 reform: the territorial districts are gone and their Đoàn
    cơ sở (communes, wards, schools…) sit straight under the Tỉnh Đoàn; a Đoàn Khối stays a
    district-level unit. Names that would repeat under the province get their old district's place
    name ("Đoàn phường 1 Tân An"); branches directly under a dissolved district are left out."""
    root = next(u.ma for u in units if u.cap == "tinh")
    gone = {u.ma: u.ten.split(" ", 2)[-1] for u in units if u.cap == "huyen" and not u.ten.startswith("Đoàn Khối")}
    names = [u.ten for u in units if u.cap == "co_so"]
    out, dropped = [], set()
    for u in units:
        if u.ma in gone:
            continue
        if u.cha in gone and u.cap == "chi_doan":
            dropped.add(u.ma)
            continue
        if u.cha in gone:
            ten = f"{u.ten} {gone[u.cha]}" if names.count(u.ten) > 1 else u.ten
            u = replace(u, cha=root, ten=ten)
        out.append(u)
    return (out, [r for r in cd_rows if r["ma_don_vi"] not in dropped],
            [r for r in cs_rows if r["ma_don_vi"] not in dropped])


def _special_sheet(wb: openpyxl.Workbook, units: list[Unit], cs_rows: list[dict], seed: int) -> None:
    from ..common.schema import DAC_THU_TIEN_DO
    from .sample_special import rows

    _sheet(wb, "dac_thu_tien_do", DAC_THU_TIEN_DO, rows(units, cs_rows, YEARS, seed))


def write(path: str | Path, seed: int = SEED, districts: list[tuple] | None = None, co_so: int | None = None,
          sau_sap_xep: bool = False) -> Path:
    """Write the sample exchange workbook (atomically); `districts` and `co_so` as in `generate`;
    `sau_sap_xep`: the province after the 2025 reform (see post_reform)."""
    units, cd_rows, cs_rows = generate(seed, districts, co_so)
    if sau_sap_xep:
        units, cd_rows, cs_rows = post_reform(units, cd_rows, cs_rows)
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "gioi_thieu"
    info.append([SAMPLE_NOTE])
    info["A1"].font = Font(bold=True, color="C00000", size=14)
    info.append([f"Sinh tự động bởi tongket.intake.sample (hạt giống {seed}). Năm: {YEARS[0]}–{YEARS[-1]}."])
    info.append(["Trang don_vi: cây đơn vị; chi_doan: số liệu chi đoàn theo năm; co_so: số liệu Đoàn cơ sở theo năm."])
    info.append(["Trang không bắt buộc: diem_cham (điểm tự chấm, thẩm định các mục của bảng điểm); "
                 "mot_cong_mot (“1+1” theo kỳ: 1 = 6 tháng đầu năm, 2 = cả năm)."])
    info.append(["Tiêu đề cột có thể là mã (ví dụ so_doan_vien) hoặc nhãn tiếng Việt như trong tệp này."])
    info.column_dimensions["A"].width = 100
    scores, half, teams = _extras(units, cd_rows, cs_rows, seed)
    add_cadres(cd_rows, cs_rows, seed)  # cadres (contract §6.2), from their own random stream
    don_vi_rows = [{"ma_don_vi": u.ma, "ten_don_vi": u.ten, "cap": u.cap, "ma_cap_tren": u.cha,
                    "loai_hinh": u.loai_hinh, "dac_thu": u.dac_thu, "to_cong_tac": teams.get(u.ma)} for u in units]
    _sheet(wb, "don_vi", DON_VI[:7], don_vi_rows)
    add_members(units, cd_rows, seed)  # member ratings (contract §6.2), from their own random stream
    _sheet(wb, "chi_doan", CHI_DOAN, cd_rows)
    _sheet(wb, "co_so", CO_SO, cs_rows)
    _sheet(wb, "diem_cham", DIEM_CHAM, scores)
    _sheet(wb, "mot_cong_mot", MOT_CONG_MOT, half)
    _sheet(wb, "mo_hinh", MO_HINH, sample_models.models(units, seed))
    _special_sheet(wb, units, cs_rows, seed)  # special units' quarters [003], issue 19.3
    write_registrations(wb, units, YEARS, seed)  # sheet dang_ky [001 III], own random stream
    fixed = datetime(*FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "tongket"
    wb.properties.title = SAMPLE_NOTE
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--sau-sap-xep"]
    out = write(args[0] if args else "data/sample/tinh_mau.xlsx", sau_sap_xep="--sau-sap-xep" in sys.argv)
    print(f"Đã ghi dữ liệu mẫu: {out}")
