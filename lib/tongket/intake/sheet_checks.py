"""Checks across cells of a typed sheet: the unit tree of `don_vi` (codes, loops, levels, the
defaults it takes) and every data row against the tree, the other figures of its row and last year's."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ..common.files import safe_name
from ..common.schema import ALL_SHEETS, PARENT_CAP, SHEET_CAP, SHEET_KEYS, TEN_CAP, label
from ..errors import ERROR, WARNING, Issue, as_shown, column_of
from ..rules.members import MemberScale
from ..rules.scoresheet import ScoreSheet
from .cadres import check_cadres
from .cells import reads_blank
from .members import check_members
from .workbook import ROW, RawSheet


def _issues(frame: pd.DataFrame, mask: pd.Series, file: str, sheet: str, column: str, value_col: str | None,
            rule, fix=None, severity: str = ERROR, letters: dict[str, str] | None = None) -> list[Issue]:
    """Issues for the rows under `mask` only (the checks themselves are vectorised). `rule` and
    `fix` may be functions of the row; `letters` (key -> Excel column) locates the cell."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():  # the usual case: no row to say anything of (a form's checks are many, its rows few)
        return []
    rows = frame[mask]
    key = value_col or next((c.key for cols in ALL_SHEETS.values() for c in cols if c.label == column), None)
    letter = (letters or {}).get(key) if key else None
    out = []
    for r in rows.to_dict("records"):
        v = r[value_col] if value_col else None
        out.append(Issue(file, sheet, int(r[ROW]), column_of(column, letter),
                         None if pd.isna(v) else v, rule(r) if callable(rule) else rule, severity,
                         fix=fix(r) if callable(fix) else fix, letter=letter))
    return out


_UNSAFE_CODE = re.compile(r"[/\\\x00-\x1f\x7f:*?\"<>|]|^\.|^$")
_DEVICE = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)


def _check_codes(don_vi: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    """Codes name folders and files: none may leave its folder or trip an operating system."""
    code = don_vi["ma_don_vi"]
    unsafe = code.notna() & code.map(lambda c: bool(_UNSAFE_CODE.search(str(c))), na_action="ignore").fillna(False)
    issues += _issues(don_vi, unsafe, file, sheet, "Mã đơn vị", "ma_don_vi",
                      "Mã đơn vị có ký tự không dùng được trong tên thư mục (/ \\ : * ? \" < > |, ký tự điều khiển) "
                      "hoặc bắt đầu bằng dấu chấm", fix="Chỉ dùng chữ, chữ số, «-» và «_», ví dụ ST02_CS01",
                      letters=letters)
    folder = code.map(lambda c: safe_name(str(c)).casefold(), na_action="ignore")
    codes_of = don_vi[code.notna()].groupby(folder[code.notna()])["ma_don_vi"].agg(lambda c: sorted(set(c)))
    clash = code.notna() & folder.map(lambda f: len(codes_of.get(f, [])) > 1, na_action="ignore").fillna(False)
    issues += _issues(don_vi, clash, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: "Các mã " + ", ".join(f"«{c}»" for c in codes_of[safe_name(str(r['ma_don_vi'])).casefold()])
                                + f" khác nhau nhưng cùng ghi vào một thư mục kết quả «{safe_name(str(r['ma_don_vi']))}» "
                                  "(khác nhau chỉ ở dấu cách, ký tự đặc biệt hoặc chữ hoa, chữ thường): văn bản của "
                                  "đơn vị này sẽ đè lên đơn vị kia",
                      fix="Đặt mã khác hẳn nhau, chỉ dùng chữ, chữ số, «-» và «_», ví dụ ST05 và ST06",
                      letters=letters)
    device = code.notna() & code.map(lambda c: bool(_DEVICE.match(str(c))), na_action="ignore").fillna(False)
    issues += _issues(don_vi, device, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Mã đơn vị trùng tên thiết bị của Windows; thư mục kết quả sẽ mang tên "
                                f"«{r['ma_don_vi']}_»", fix="Nên đổi mã, ví dụ thêm tiền tố của huyện",
                      severity=WARNING, letters=letters)


def _cycles(don_vi: pd.DataFrame) -> dict[str, list[str]]:
    """Units on a loop of ma_cap_tren, each with the loop as it runs from it."""
    parent = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")["ma_cap_tren"]
    parent = parent[parent.notna()].to_dict()
    on_loop: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        seen: dict[str, int] = {}
        u = start
        while u in parent and u not in done and u not in seen:
            seen[u] = len(path)
            path.append(u)
            u = parent[u]
        if u in seen:
            loop = path[seen[u]:]
            for k, m in enumerate(loop):
                on_loop[m] = loop[k:] + loop[:k] + [m]
        done.update(path)
    return on_loop


def check_tree(don_vi: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    """The unit tree: safe and unique codes, no loop, every parent known and of the right level, one root."""
    _check_codes(don_vi, file, sheet, issues, letters)
    dup = don_vi["ma_don_vi"].notna() & don_vi.duplicated("ma_don_vi", keep=False)
    first = don_vi[dup].groupby("ma_don_vi")[ROW].apply(list).to_dict()
    issues += _issues(don_vi, dup, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Mã đơn vị bị trùng (các dòng {', '.join(map(str, first[r['ma_don_vi']]))})",
                      fix="Mỗi đơn vị một mã riêng: đổi mã của đơn vị khác hoặc xóa dòng lặp", letters=letters)
    loops = _cycles(don_vi)
    on_loop = don_vi["ma_don_vi"].isin(list(loops))
    issues += _issues(don_vi, on_loop, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren",
                      lambda r: f"Vòng lặp trong cây đơn vị: {' → '.join(loops[r['ma_don_vi']])}",
                      fix="Sửa mã đơn vị cấp trên để mỗi đơn vị trực thuộc đúng một cấp cao hơn", letters=letters)
    # the units with a code (a blank code is its own error, «Thiếu mã đơn vị»): no parent is «blank»
    cap_of = don_vi.dropna(subset=["ma_don_vi"]).drop_duplicates("ma_don_vi").set_index("ma_don_vi")["cap"]
    has_cap = don_vi["cap"].notna()
    no_parent = has_cap & don_vi["ma_cap_tren"].isna() & (don_vi["cap"] != "tinh")
    issues += _issues(don_vi, no_parent, file, sheet, "Mã đơn vị cấp trên", None,
                      "Thiếu mã đơn vị cấp trên (chỉ đơn vị cấp tỉnh được để trống)",
                      fix="Điền mã của đơn vị cấp trên trực tiếp", letters=letters)
    parent_known = don_vi["ma_cap_tren"].notna() & don_vi["ma_cap_tren"].isin(cap_of.index)
    unknown = has_cap & don_vi["ma_cap_tren"].notna() & ~parent_known
    issues += _issues(don_vi, unknown, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren",
                      "Mã đơn vị cấp trên không có trong trang don_vi",
                      fix="Sửa mã cho đúng, hoặc thêm một dòng cho đơn vị cấp trên này", letters=letters)
    pcap = don_vi["ma_cap_tren"].map(cap_of)
    allowed = don_vi["cap"].map(lambda c: PARENT_CAP.get(c, ()))
    wrong = has_cap & parent_known & pd.Series([p not in a for p, a in zip(pcap, allowed)], index=don_vi.index)

    def wrong_level(r: dict) -> str:
        ok = " hoặc ".join(TEN_CAP[c] for c in PARENT_CAP[r["cap"]]) or "không có cấp trên"
        p = cap_of[r["ma_cap_tren"]]
        return (f"Sai cấp: {TEN_CAP[r['cap']]} phải trực thuộc {ok}, nhưng «{r['ma_cap_tren']}» là "
                f"{TEN_CAP.get(p, p)}")

    issues += _issues(don_vi, wrong & ~on_loop, file, sheet, "Mã đơn vị cấp trên", "ma_cap_tren", wrong_level,
                      fix="Sửa cấp của đơn vị hoặc mã đơn vị cấp trên", letters=letters)
    roots = int((don_vi["cap"] == "tinh").sum())
    if roots != 1:
        issues.append(Issue(file, sheet, None, "Cấp", None, f"Cần đúng một đơn vị cấp tỉnh, đang có {roots}",
                            fix="Mỗi sổ dữ liệu là một tỉnh: giữ đúng một dòng có cấp «tinh»"))


# Values a blank cell of don_vi takes, and what the default changes (contract §3).
DEFAULTED = {
    "loai_hinh": "đơn vị được tính là loại hình «khác»: không thuộc chi đoàn trên địa bàn dân cư, "
                 "không vào tỉ lệ chi đoàn dân cư đạt chuẩn",
    "dac_thu": "đơn vị được tính là không đặc thù: chấm theo bảng điểm thường",
}


def check_defaults(raw: RawSheet, don_vi: pd.DataFrame, file: str, issues: list[Issue]) -> None:
    """A blank cell that takes a default is said, unit by unit (counting never changes silently):
    only for the units that are counted, Đoàn cơ sở and chi đoàn."""
    counted = don_vi["cap"].isin(["co_so", "chi_doan"]).fillna(False).astype(bool)
    for key, effect in DEFAULTED.items():
        if key not in raw.frame.columns:
            continue
        blank = reads_blank(raw.frame[key]) & counted
        letter = raw.columns_at.get(key)
        col = label(key)
        issues += _issues(don_vi.assign(_ten=don_vi["ten_don_vi"]), blank, file, raw.name, col, None,
                          lambda r, e=effect, c=col: f"{c} để trống ({r['_ten']}, {r['ma_don_vi']}): {e}",
                          fix=f"Điền {col.lower()} cho đơn vị" + (
                              " (dan_cu, truong_hoc, co_quan, doanh_nghiep, luc_luong_vu_trang, khac)"
                              if key == "loai_hinh" else " (Có hoặc Không)"),
                          severity=WARNING, letters={key: letter} if letter else None)


def check_rows(frame: pd.DataFrame, key: str, don_vi: pd.DataFrame, file: str, sheet: str,
                issues: list[Issue], letters: dict[str, str], members: MemberScale | None = None,
                score_sheets: Mapping[str, ScoreSheet] | None = None, nam: int | None = None) -> None:
    """Rows of a data sheet against the tree (known unit of the sheet's level, one row per unit and
    year), and for chi_doan against the row's other figures and last year's."""
    cap_of = don_vi.drop_duplicates("ma_don_vi").set_index("ma_don_vi")["cap"]
    want = SHEET_CAP[key]
    code = frame["ma_don_vi"]
    known = code.isin(cap_of.index)
    issues += _issues(frame, code.notna() & ~known, file, sheet, "Mã đơn vị", "ma_don_vi",
                      "Mã đơn vị không có trong trang don_vi",
                      fix="Sửa mã cho đúng, hoặc thêm đơn vị vào trang don_vi", letters=letters)
    level = code.map(cap_of)
    wants = (want,) if isinstance(want, str) else tuple(want)  # dang_ky: a branch or a Đoàn cơ sở
    # a unit whose level is blank or unknown has its own error in don_vi: its rows are not blamed for it
    issues += _issues(frame, known & level.notna() & ~level.isin(wants), file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Sai cấp: trang {key} chỉ nhận {' hoặc '.join(TEN_CAP[w] for w in wants)}, "
                                f"«{r['ma_don_vi']}» là "
                                f"{TEN_CAP.get(cap_of[r['ma_don_vi']], cap_of[r['ma_don_vi']])}",
                      fix="Chuyển dòng sang đúng trang, hoặc sửa mã đơn vị", letters=letters)
    keys = SHEET_KEYS[key]
    dup = frame[keys].notna().all(axis=1) & frame.duplicated(keys, keep=False)
    rows_of = frame[dup].groupby(keys)[ROW].apply(list).to_dict() if dup.any() else {}
    issues += _issues(frame, dup, file, sheet, "Mã đơn vị", "ma_don_vi",
                      lambda r: f"Đơn vị có hai dòng số liệu cho năm {r['nam']}" + (
                          f", {label(keys[2], key)} «{as_shown(r[keys[2]])}»" if len(keys) > 2 else "") +
                      f" (các dòng {', '.join(map(str, rows_of[tuple(r[k] for k in keys)] if len(keys) > 1 else []))})",
                      fix="Giữ một dòng đúng, xóa dòng còn lại", letters=letters)
    if key == "chi_doan":
        _check_consistency(frame, file, sheet, issues, letters)
        check_jumps(frame, file, sheet, issues, letters)
        check_members(frame, file, sheet, issues, letters, members)  # member ratings, contract §6.2
    if key == "co_so":  # cadres (contract §6.2)
        check_cadres(frame, file, sheet, issues, letters)
    if key == "dac_thu_tien_do":  # only special units have a work team reporting each quarter [003]
        from .special_progress import check_special

        issues += check_special(frame, don_vi, file, sheet, letters)
    if key == "mo_hinh" and "mo_ta" in frame:  # the report prints what a model does [002]
        blank = frame["ten_mo_hinh"].notna() & frame["mo_ta"].map(lambda v: v is None or pd.isna(v) or not str(v).strip())
        issues += _issues(frame, blank, file, sheet, "Mô tả", "mo_ta",
                          lambda r: f"Mô hình «{r['ten_mo_hinh']}» chưa có mô tả: báo cáo tổng hợp mô hình hay, "
                                    "cách làm hiệu quả sẽ để trống «……» ở cột nội dung, hiệu quả",
                          fix="Ghi ngắn gọn mô hình làm gì, hiệu quả ra sao", severity=WARNING, letters=letters)
    if key == "mot_cong_mot":  # two periods only: a «3» would make a period of its own, silently
        other = frame["ky"].notna() & ~frame["ky"].isin([1, 2])
        issues += _issues(frame, other, file, sheet, label("ky", key), "ky", "Kỳ chỉ là 1 (6 tháng) hoặc 2 (cả năm)",
                          fix="Gõ 1 cho số liệu 6 tháng, 2 cho số liệu cả năm", letters=letters)
    if key == "diem_cham" and score_sheets and nam is not None:  # the year's points, against its sheets
        from .given_scores import check_given_scores

        issues += check_given_scores(frame, don_vi, file, sheet, letters, score_sheets, nam)
    if key == "dang_ky":
        from .upkeep import check_registrations

        check_registrations(frame, don_vi, file, sheet, issues, letters)


# Figures that cannot exceed another figure of the same row (contract §3 definitions). New members
# above the year-end count is only a warning: members who came of age or moved away the same year
# leave the count, so a small branch can admit more than it ends the year with.
NOT_MORE_THAN = (
    ("so_ket_nap_moi", "so_doan_vien", "Số đoàn viên kết nạp mới lớn hơn số đoàn viên", WARNING),
    ("so_dv_gioi_thieu_1_1", "so_doan_vien", "Số đoàn viên giới thiệu «1+1» lớn hơn số đoàn viên", ERROR),
    ("so_thanh_nien_tap_hop", "so_thanh_nien", "Số thanh niên được tập hợp lớn hơn số thanh niên", ERROR),
    ("so_dv_dong_doan_phi", "so_doan_vien", "Số đoàn viên đóng đoàn phí lớn hơn số đoàn viên", ERROR),
    ("so_dv_vi_pham_phap_luat", "so_doan_vien", "Số đoàn viên vi phạm pháp luật lớn hơn số đoàn viên", ERROR),
    ("so_gioi_thieu_dang", "so_doan_vien", "Số đoàn viên giới thiệu cho Đảng lớn hơn số đoàn viên", ERROR),
)


def _check_consistency(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue],
                       letters: dict[str, str]) -> None:
    for part, whole, rule, severity in NOT_MORE_THAN:
        over = frame[part].notna() & frame[whole].notna() & (frame[part] > frame[whole])
        issues += _issues(frame, over, file, sheet, label(part), part,
                          lambda r, w=whole, rule=rule: f"{rule} ({label(w).lower()}: {int(r[w])})",
                          fix=lambda r, w=whole, sev=severity: (
                              f"Kiểm tra lại hai ô: số này không thể vượt {label(w).lower()} ({int(r[w])})"
                              if sev == ERROR else "Kiểm tra lại với đơn vị; nếu đúng thì giữ nguyên"),
                          severity=severity, letters=letters)


# A figure that changes this much from the year before is worth a second look (not an error).
JUMP_COLUMNS = ("so_doan_vien", "so_thanh_nien", "so_thanh_nien_tap_hop")
JUMP_RATIO = 2.0  # doubled, or halved
JUMP_MIN = 20  # and by at least this many people


def check_jumps(frame: pd.DataFrame, file: str, sheet: str, issues: list[Issue], letters: dict[str, str]) -> None:
    """A warning for each figure that doubled or halved (by JUMP_MIN people or more) since the year before."""
    f = frame.dropna(subset=["ma_don_vi", "nam"])
    if f.empty or f["nam"].nunique() < 2:
        return
    prev = f[["ma_don_vi", "nam", *JUMP_COLUMNS]].copy()
    prev["nam"] = prev["nam"] + 1
    both = f.merge(prev, on=["ma_don_vi", "nam"], how="inner", suffixes=("", "_truoc"))
    both = both.drop_duplicates([ROW])
    for col in JUMP_COLUMNS:
        now, before = both[col].astype("Float64"), both[f"{col}_truoc"].astype("Float64")
        ok = now.notna() & before.notna()
        big = ok & ((now - before).abs() >= JUMP_MIN) & (
            (now >= JUMP_RATIO * before) | (before >= JUMP_RATIO * now))
        issues += _issues(both, big, file, sheet, label(col), col,
                          lambda r, c=col: f"Thay đổi bất thường so với năm {int(r['nam']) - 1}: "
                                           f"{int(r[c + '_truoc'])} → {int(r[c])}",
                          fix="Kiểm tra lại với đơn vị; nếu đúng (sáp nhập, chia tách…) thì giữ nguyên",
                          severity=WARNING, letters=letters)
