"""Models and effective practices (mô hình hay, cách làm hiệu quả) [002], from the optional sheet
`mo_hinh` (contract §6.5): a section of the year-end reports and a report of their own.

A workbook without the sheet has neither (not collected is not "no model"). Models are those of
the reporting unit and every unit under it in the year, grouped by field (lĩnh vực, matched
ignoring case and spacing; a blank field is «Lĩnh vực khác», last), the fields with most models
first, then in Vietnamese order.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..assessment.review import Review
from ..common.units import ancestors
from ..common.vietnamese import BLANK, chu_hoa, fold, nfc, so, sort_key, trich_dan
from .details import frame, once

SHEET = "mo_hinh"
OTHER = "Lĩnh vực khác"  # the group of models without a field
SHOWN = 3  # models named in the report's section
PROGRAMME = "xây dựng Đoàn cơ sở “3 chủ động” và Chi đoàn trên địa bàn dân cư đạt chuẩn"
TITLE = "Báo cáo tổng hợp các mô hình hay, cách làm hiệu quả"


def has_models(review: Review) -> bool:
    """Whether the workbook has the sheet at all (the section and the report exist only then)."""
    return SHEET in review.data.optional


def models_of(review: Review, ma: str, nam: int) -> pd.DataFrame:
    """The models of `ma` and every unit under it in `nam`, with the unit's name (`ten_don_vi`) and
    the field as printed (`nhom`); in field order, then by unit and model name (found once per review)."""
    return once(review, ("models_of", ma, nam), lambda: _models_of(review, ma, nam))


def _models_of(review: Review, ma: str, nam: int) -> pd.DataFrame:
    frame_ = review.data.optional.get(SHEET)
    cols = ["ma_don_vi", "ten_don_vi", "ten_mo_hinh", "nhom", "mo_ta"]
    if frame_ is None or frame_.empty:
        return pd.DataFrame(columns=cols)
    rows = frame_[(frame_["nam"] == nam) & frame_["ten_mo_hinh"].notna() & frame_["ma_don_vi"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    names = review.results.names()
    tree = ancestors(review.data.don_vi.dropna(subset=["ma_don_vi"]))
    under = tree.index[(tree == ma).any(axis=1)] if ma in tree.index else pd.Index([])
    rows = rows[rows["ma_don_vi"].isin(under) & rows["ma_don_vi"].isin(names.index)]
    rows = rows.drop_duplicates(["ma_don_vi", "ten_mo_hinh"])
    out = pd.DataFrame({"ma_don_vi": rows["ma_don_vi"].astype(str),
                        "ten_don_vi": rows["ma_don_vi"].map(_unambiguous(review, under)).astype(str),
                        "ten_mo_hinh": rows["ten_mo_hinh"].map(lambda v: nfc(str(v)).strip()),
                        "nhom": rows["linh_vuc"].map(_field),
                        "mo_ta": rows["mo_ta"].map(lambda v: "" if pd.isna(v) else nfc(str(v)).strip())})
    sizes = out.groupby("nhom")["nhom"].transform("size")
    keys = [(n == OTHER, -s, sort_key(n), sort_key(u), sort_key(m))
            for n, s, u, m in zip(out["nhom"], sizes, out["ten_don_vi"], out["ten_mo_hinh"])]
    return out.iloc[sorted(range(len(out)), key=keys.__getitem__)].reset_index(drop=True)


def _unambiguous(review: Review, under: pd.Index) -> pd.Series:
    """Every unit's name by code as the unit `ma`'s documents print it: a name two of its units share
    (Đoàn phường 1 of two districts, Chi đoàn ấp 1 of two communes) carries its upper unit's name."""
    tree = review.results.tree()
    mine = tree[tree.index.isin(under)]
    names = tree["ten_don_vi"].astype(object)
    shared = set(mine["ten_don_vi"][mine["ten_don_vi"].duplicated(keep=False)])
    upper = tree["ma_cap_tren"].map(tree["ten_don_vi"])
    qualified = names.index.isin(mine.index) & names.isin(shared) & upper.notna()
    return names.where(~qualified, names + " (" + upper.astype(object).fillna("") + ")")


def _field(v: Any) -> str:
    """A field as printed: its first letter capital, spacing squeezed; blank: «Lĩnh vực khác»."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or not str(v).strip():
        return OTHER
    return chu_hoa(" ".join(nfc(str(v)).split()))


def _groups(models: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The models by field, in the table's order; one spelling per field (the first seen)."""
    keyed = models.assign(_k=models["nhom"].map(fold))
    first = dict(zip(keyed["_k"], keyed["nhom"]))
    return [(first[k], g.drop(columns="_k")) for k, g in keyed.groupby("_k", sort=False)]


def _by_field(groups: list[tuple[str, pd.DataFrame]]) -> str:
    """«kinh tế 4 mô hình, văn hóa 3 mô hình, lĩnh vực khác 1 mô hình»."""
    return ", ".join(f"{n[:1].lower() + n[1:]} {so(len(g))} mô hình" for n, g in groups)


def _analyst(review: Review, ma: str) -> list[str]:
    """The analyst's own paragraphs on models (section «Mô hình hay, cách làm hiệu quả» of the texts)."""
    cap = str(review.results.unit(ma)["cap"])
    return list(review.cycle.text_for(ma, cap).get("mo_hinh") or [])


def section(review: Review, ma: str, nam: int) -> dict[str, Any]:
    """The year-end report's section (context key `mo_hinh`): a sentence with the counts by field,
    a few models named with their unit, the analyst's own text; {} without the sheet."""
    if not has_models(review):
        return {}
    models = models_of(review, ma, nam)
    if models.empty:
        return {"cau": [f"Năm {nam}, chưa có mô hình hay, cách làm hiệu quả nào được báo cáo."],
                "van_ban": _analyst(review, ma)}
    groups = _groups(models)
    units = models["ma_don_vi"].nunique()
    lines = [f"Năm {nam}, {so(units)} đơn vị đã xây dựng, duy trì {so(len(models))} mô hình hay, cách làm hiệu "
             f"quả, gồm: {_by_field(groups)}."]
    picked: list[str] = []
    seen: set[str] = set()
    for _, g in groups:  # one per field, from different units, the first SHOWN fields
        r = next((r for r in g.itertuples() if r.ma_don_vi not in seen), None)
        if r is not None and len(picked) < SHOWN:
            seen.add(r.ma_don_vi)
            picked.append(f"mô hình {trich_dan(r.ten_mo_hinh)} của {r.ten_don_vi}")
    if picked:
        lines.append("Tiêu biểu là " + ", ".join(picked[:-1]) + (" và " if len(picked) > 1 else "") + picked[-1] + ".")
    return {"cau": lines, "van_ban": _analyst(review, ma)}


def applies(review: Review, ma: str, nam: int) -> bool:
    """The separate report is written where the workbook has the sheet and the unit has models that year."""
    return has_models(review) and not models_of(review, ma, nam).empty


def bao_cao_mo_hinh(review: Review, ma: str, nam: int) -> tuple[dict, list[str]]:
    """«Báo cáo tổng hợp các mô hình hay, cách làm hiệu quả» [002]: an opening, the overview by
    field with the analyst's own remarks, the models of each field with their unit and what they
    do, proposals, a closing."""
    ctx, missing = frame(review, ma, "bao_cao_mo_hinh", "BC", False, nam)
    models = models_of(review, ma, nam)
    groups = _groups(models)
    ten = ctx["don_vi"]["ten"]
    programme = str(review.cycle.so_ket.ten or PROGRAMME)
    ctx |= {
        "trich_yeu": f"Tổng hợp các mô hình hay, cách làm hiệu quả năm {nam}",
        "mo_dau": [f"Thực hiện hướng dẫn của Ban Thường vụ Đoàn cấp trên, Ban Thường vụ {ten} tổng hợp các mô hình "
                   f"hay, cách làm hiệu quả trong {programme} ở cơ sở năm {nam} như sau:"],
        "tong_quan": [f"Năm {nam}, {so(models['ma_don_vi'].nunique())} đơn vị đã xây dựng, duy trì "
                      f"{so(len(models))} mô hình hay, cách làm hiệu quả, gồm: {_by_field(groups)}."] if len(models)
        else [f"Năm {nam}, chưa có mô hình hay, cách làm hiệu quả nào được báo cáo."],
        "linh_vuc": [{"ten": n, "so": so(len(g)),
                      "mo_hinh": [{"stt": str(i), "ten": r.ten_mo_hinh, "don_vi": r.ten_don_vi,
                                   "mo_ta": r.mo_ta or BLANK}
                                  for i, r in enumerate(g.itertuples(), start=1)]}
                     for n, g in groups],
        "nhan_xet": _analyst(review, ma),
        "de_xuat": [
            "Tiếp tục hướng dẫn các cơ sở duy trì, nâng chất các mô hình đã có; chọn các mô hình tiêu biểu để "
            "giới thiệu, nhân rộng và đề xuất tuyên dương, khen thưởng kịp thời."],
        "ten_bao_cao": TITLE[:1].lower() + TITLE[1:],
    }
    return ctx, missing

