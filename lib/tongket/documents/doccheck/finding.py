"""What a check returns: one `Finding` (document, rule broken, offending text), the rules by name."""

from __future__ import annotations

from dataclasses import dataclass

RULES = {
    "the_mau": "còn thẻ mẫu hoặc giá trị trống của máy",
    "tu_ma": "còn từ mã, ký hiệu kỹ thuật trong văn bản",
    "trung_ten": "tên trùng trong một danh sách (cần ghi đơn vị cấp trên)",
    "ngoac_kep": "dấu ngoặc kép lồng nhau hoặc không khép (trích dẫn trong trích dẫn viết ‘…’)",
    "so_lieu": "số liệu khác bảng kết quả",
    "cong_nhan": "quyết định công nhận đơn vị không đủ điều kiện",
    "du_thao": "tình trạng dự thảo/chính thức của quyết định sai với kết quả thẩm định",
}


@dataclass(frozen=True)
class Finding:
    """One violation: the document, the rule broken, the offending text and what was expected."""

    document: str
    rule: str
    text: str
    detail: str = ""

    def __str__(self) -> str:
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.document}: {RULES.get(self.rule, self.rule)}: «{self.text}»{tail}"


def excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    """The text around a match (`width` characters either side), «…» where it is cut."""
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")
