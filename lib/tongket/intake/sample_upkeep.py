"""Seeded registrations of the sample province [001 III], sheet `dang_ky` (contract §6.4): about
nine residential branches in ten register for the standard each year by 10/02, Đoàn cơ sở register
for "3 chủ động" before 10/10 of the year before, and a few units are pilots (làm điểm).
From its own random stream: the other sheets' figures do not move."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import openpyxl
from openpyxl.styles import Font, PatternFill

from ..common.schema import DANG_KY, TEN_CHUONG_TRINH
from ..common.xlsx import append_row

SEED_OFFSET = 19  # issue 19: this topic's own stream
REGISTRATION_YEARS = 2  # the last two years of the sample register


def registrations(units: list[Any], years: tuple[int, ...], seed: int) -> list[dict]:
    """The rows of sheet dang_ky: branches (chi_doan_dat_chuan) and Đoàn cơ sở (ba_chu_dong)."""
    rng = np.random.default_rng(seed + SEED_OFFSET)
    co_so = [u for u in units if u.cap == "co_so"]
    branches = [u for u in units if u.cap == "chi_doan" and u.loai_hinh == "dan_cu"]
    pilots_cs = {u.ma for u in rng.choice(np.array(co_so, dtype=object), size=min(3, len(co_so)), replace=False)}
    pilots_cd = {u.ma for u in rng.choice(np.array(branches, dtype=object), size=min(5, len(branches)), replace=False)}
    eagerness = {u.ma: float(rng.uniform(0.82, 1.0)) for u in co_so}  # how firmly each Đoàn cơ sở leads
    rows = []
    for year in years[-REGISTRATION_YEARS:]:
        for u in co_so:
            if u.ma in pilots_cs or rng.random() < 0.35 + 0.4 * u.q:
                rows.append({"ma_don_vi": u.ma, "nam": year, "chuong_trinh": TEN_CHUONG_TRINH["ba_chu_dong"],
                             "lam_diem": u.ma in pilots_cs,
                             "ngay_dang_ky": date(year - 1, 9, 15) + timedelta(days=int(rng.integers(0, 26)))})
        for u in branches:
            if u.ma in pilots_cd or rng.random() < min(0.99, eagerness.get(u.cha, 0.9) + 0.1 * (u.q - 0.5)):
                rows.append({"ma_don_vi": u.ma, "nam": year, "chuong_trinh": TEN_CHUONG_TRINH["chi_doan_dat_chuan"],
                             "lam_diem": u.ma in pilots_cd,
                             "ngay_dang_ky": date(year, 1, 20) + timedelta(days=int(rng.integers(0, 22)))})
    return rows


def write_registrations(wb: openpyxl.Workbook, units: list[Any], years: tuple[int, ...], seed: int) -> None:
    """Sheet dang_ky of the sample workbook, headers as the Vietnamese labels."""
    rows = registrations(units, years, seed)
    ws = wb.create_sheet("dang_ky")
    ws.append([c.label for c in DANG_KY])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        append_row(ws, [r["ma_don_vi"], r["nam"], r["chuong_trinh"], "x" if r["lam_diem"] else None,
                        r["ngay_dang_ky"]])[4].number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDE", (14, 8, 40, 10, 14)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B2"
    if "gioi_thieu" in wb.sheetnames:
        wb["gioi_thieu"].append(["Trang không bắt buộc dang_ky: đăng ký đầu năm xây dựng chi đoàn đạt chuẩn "
                                 "(chi đoàn) và Đoàn cơ sở “3 chủ động” (Đoàn cơ sở), đơn vị làm điểm, ngày đăng ký."])
