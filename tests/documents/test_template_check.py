"""`tongket templates check`: the bundled templates are clean; each way people break a template
is reported in Vietnamese; templates/README.md is the generated field list."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from tongket.cli import cli
from tongket.documents.catalogue import DOC_TYPES
from tongket.documents.template_check import check, field_list

TEMPLATE = ROOT / "templates" / "bao_cao_tong_ket.docx"
# Every check reads the fields of the bundled sample, as `tongket templates check` does: found once per
# process (over half a minute), so these tests share a worker.
pytestmark = pytest.mark.xdist_group("templates")


def _edit(tmp_path: Path, change, name: str = "bao_cao_tong_ket.docx") -> Path:
    """A copy of a bundled template with its document.xml changed as a person in Word would."""
    target = tmp_path / name
    with zipfile.ZipFile(ROOT / "templates" / name) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                new = change(xml)
                assert new != xml, "the edit must change the template"
                data = new.encode("utf-8")
            zout.writestr(item, data)
    return target


def _problems(path: Path) -> list[str]:
    return [str(p) for p in check([path])[0].problems]


def test_the_bundled_templates_are_clean():
    from tongket.documents.catalogue import DOC_TYPES

    reports = check([ROOT / "templates"])
    assert len(reports) == len(DOC_TYPES)  # one template per document kind
    assert [str(p) for r in reports for p in r.problems] == []
    tong_ket = next(r for r in reports if r.doc_key == "bao_cao_tong_ket")
    assert {"vb.so", "vb.noi_nhan[]", "bang_co_so[].ty_le", "bieu_do.xu_huong"} <= set(tong_ket.fields)


def test_an_unknown_field_is_an_error_with_a_suggestion(tmp_path):
    path = _edit(tmp_path, lambda x: x.replace("{{ vb.nguoi_ky }}", "{{ vb.nguoi_kyy }}"))
    assert _problems(path) == [
        "  lỗi: trường «vb.nguoi_kyy»: không có trong dữ liệu của báo cáo tổng kết (có phải «vb.nguoi_ky»?)",
        "  cảnh báo: thể thức: mẫu không dùng trường bắt buộc: vb.nguoi_ky"]


def test_a_field_of_another_document_is_unknown_here(tmp_path):
    path = _edit(tmp_path, lambda x: x.replace("{{ cau.dat_chuan }}", "{{ cau.giai_doan }}", 1))
    assert "lỗi: trường «cau.giai_doan»: không có trong dữ liệu của báo cáo tổng kết" in _problems(path)[0]


def test_missing_spaces_and_curly_quotes(tmp_path):
    path = _edit(tmp_path, lambda x: x.replace("{{ trich_yeu }}", "{{trich_yeu}}")
                 .replace("{%p if ghi_chu %}", "{%p if ghi_chu == “x” %}"))
    problems = _problems(path)
    assert any("«{{trich_yeu}}»: thiếu dấu cách bên trong ngoặc" in p for p in problems)
    assert any("«{%p if ghi_chu == “x” %}»: dấu nháy cong trong thẻ" in p and p.startswith("  lỗi") for p in problems)


def test_a_tag_split_by_word_formatting_is_reported(tmp_path):
    # what Word writes when someone makes half a tag bold
    split = "{{ vb.ngu</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>oi_ky }}"
    path = _edit(tmp_path, lambda x: x.replace("{{ vb.nguoi_ky }}", split))
    problems = _problems(path)
    assert len(problems) == 1
    assert re.fullmatch(r"  cảnh báo: đoạn \d+ «\{\{ vb.nguoi_ky \}\}»: thẻ bị Word tách thành nhiều đoạn định "
                        r"dạng; .*", problems[0])


def test_an_unclosed_block_and_unbalanced_braces(tmp_path):
    path = _edit(tmp_path, lambda x: x.replace("{%p endif %}", "", 1).replace("{{ nam_sau }}", "{{ nam_sau }", 1))
    problems = _problems(path)
    assert any("số «{{» và «}}» không khớp" in p for p in problems)
    assert any(p.startswith("  lỗi: cả văn bản: ") for p in problems)


def test_a_file_that_is_not_a_template(tmp_path):
    bad = tmp_path / "bao_cao_tong_ket.docx"
    bad.write_text("không phải Word", encoding="utf-8")
    assert _problems(bad)[0].startswith("  lỗi: tệp: không mở được như tệp Word .docx")


def test_the_command_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["templates", "check"])
    assert ok.exit_code == 0 and f"{len(DOC_TYPES)} mẫu dùng được (0 cảnh báo)." in ok.output
    assert "Mẫu bao_cao_tong_ket.docx (bao_cao_tong_ket):" in ok.output
    shutil.copy(TEMPLATE, tmp_path / "bao_cao_tong_ket.docx")
    broken = _edit(tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path,
                   lambda x: x.replace("{{ vb.so }}", "{{ vb.soo }}", 1))
    bad = runner.invoke(cli, ["templates", "check", str(broken)])
    assert bad.exit_code == 1 and "Có 1 lỗi" in bad.output


def test_the_field_list_in_templates_readme_is_current():
    """templates/README.md is generated (make templates): it must equal what the kit fills now,
    and every field has its meaning written down."""
    text = field_list()
    assert (ROOT / "templates" / "README.md").read_text(encoding="utf-8") == text
    assert not re.search(r"\| `[^`]+` \|  \|", text), "a field without its meaning in fields_doc.FIELDS"
