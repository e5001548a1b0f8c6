"""The analyst's own words come from text files in params/, per cycle and per unit."""

from __future__ import annotations

import pytest

from tongket.errors import ConfigError
from tongket.rules.params import load_cycle
from tongket.rules.texts import for_unit, parse


def test_sections_paragraphs_and_dashes():
    text = ("# Thuận lợi\nDòng một\ndòng hai.\n\nĐoạn hai.\n\n# phuong huong, nhiem vu\n- Việc một;\n"
            "  tiếp dòng.\n- Việc hai.\n")
    assert parse(text) == {"thuan_loi": ["Dòng một dòng hai.", "Đoạn hai."],
                           "phuong_huong": ["- Việc một; tiếp dòng.", "- Việc hai."]}


def test_nfd_text_and_headings_are_normalised():
    import unicodedata

    text = unicodedata.normalize("NFD", "# Khó khăn\nThanh niên đi làm ăn xa.\n")
    assert parse(text) == {"kho_khan": ["Thanh niên đi làm ăn xa."]}


@pytest.mark.parametrize("text, message", [
    ("# Thuận tiện\nx\n", "Tệp chung.md, dòng 1: mục «Thuận tiện» không có; các mục dùng được: Mở đầu, Thuận lợi"),
    ("Không có tiêu đề\n", "Tệp chung.md, dòng 1: nội dung nằm trước tiêu đề mục đầu tiên"),
    ("# Khó khăn\na\n# Khó khăn\nb\n", "Tệp chung.md, dòng 3: mục «Khó khăn» xuất hiện hai lần"),
])
def test_mistakes_are_named_with_file_and_line(text, message):
    with pytest.raises(ConfigError) as exc:
        parse(text, "chung.md")
    assert str(exc.value).startswith(message)


def test_a_units_file_replaces_whole_sections(tmp_path):
    (tmp_path / "chung.md").write_text("# Thuận lợi\nChung.\n\n# Khó khăn\nChung khó.\n", encoding="utf-8")
    (tmp_path / "H1.md").write_text("# Khó khăn\nRiêng khó.\n", encoding="utf-8")
    assert for_unit(tmp_path, "H1") == {"thuan_loi": ["Chung."], "kho_khan": ["Riêng khó."]}
    assert for_unit(tmp_path, "H2") == {"thuan_loi": ["Chung."], "kho_khan": ["Chung khó."]}
    assert for_unit(tmp_path, "../H1") == {"thuan_loi": ["Chung."], "kho_khan": ["Chung khó."]}  # never outside


def test_the_sample_cycle_reads_its_text_files():
    cycle = load_cycle()
    st03, st02 = cycle.text_for("ST03"), cycle.text_for("ST02")
    assert st03["kho_khan"][0].startswith("Địa bàn rộng, nhiều ấp vùng sâu")
    assert st02["kho_khan"][0].startswith("Một bộ phận đoàn viên, thanh niên đi làm ăn xa")
    assert st02["phuong_huong"][1] == "- Tăng cường tập huấn nghiệp vụ cho bí thư chi đoàn, chú trọng bí thư mới."


def test_a_text_file_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "chung.md").write_bytes(b"# Thu\xe2n l\xf4i\n\xd0\xfd\xf4c\n")  # a Windows code page
    with pytest.raises(ConfigError, match="không phải văn bản UTF-8"):
        for_unit(tmp_path, "H1")
