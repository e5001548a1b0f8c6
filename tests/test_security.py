"""Issue 15, part C (13–15): untrusted inputs cannot run code or exhaust the machine. Word
templates render in a sandbox and `templates check` flags what the sandbox refuses; YAML alias
bombs are refused by the one YAML reader; no string the kit writes into any workbook becomes a
formula."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, fill_forms, small_rows, small_tree, write_exchange
from tongket.cli import main
from tongket.documents.report import jinja_env, render_docx
from tongket.documents.template_check import ERROR, check_template
from tongket.errors import ConfigError, RenderError

# ------------------------------------------------------------------ 13. templates run no code

# Known ways out of a Jinja template into Python; each would create the marker file.
ESCAPES = {
    "mro": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
           "{{ c(['touch', 'MARKER']) }}{% endif %}{% endfor %}",
    "cycler": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "joiner": "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "namespace": "{{ namespace.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "self": "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "attr": "{{ (''|attr('__class__')).__mro__ }}",
    "getitem": "{{ ''['__class__']['__mro__'] }}",
    "format": "{{ '{0.__class__.__mro__}'.format('') }}",
    "range": "{{ 'x'.ljust(10**9) }}{% for i in range(10**9) %}{% endfor %}",
}


def _template(path: Path, *paragraphs: str) -> Path:
    """A real Word template, as python-docx writes one, with these paragraphs."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return path


@pytest.mark.parametrize("kind", sorted(ESCAPES))
def test_a_template_cannot_run_a_command_and_the_check_flags_it(tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)  # 'touch MARKER' would land here
    marker = tmp_path / "MARKER"
    src = ESCAPES[kind].replace("MARKER", str(marker))
    tpl = _template(tmp_path / "mau_sua.docx", "Kính gửi {{ ten }},", src)
    with pytest.raises(RenderError) as exc:
        render_docx(tpl, {"ten": "Tỉnh Đoàn"}, tmp_path / "ra.docx")
    assert not marker.exists()
    assert not (tmp_path / "ra.docx").exists()
    assert str(exc.value).startswith("Mẫu mau_sua.docx ")
    if kind != "lipsum":  # lipsum is gone: an unknown field, like any other
        assert "tongket templates check" in str(exc.value)
    problems = check_template(tpl, {}, jinja_env()).problems
    unsafe = [p for p in problems if p.severity == ERROR and p.where == "mã lệnh"]
    assert unsafe, problems
    assert all("mẫu văn bản chỉ được dùng trường dữ liệu" in p.rule for p in unsafe)


def test_a_template_with_an_xml_entity_bomb_is_refused_before_parsing(tmp_path):
    import zipfile

    src = _template(tmp_path / "goc.docx", "{{ ten }}")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", f"?><!DOCTYPE w:document [{laughs}]>".encode(), 1)
                data = data.replace(b"{{ ten }}", b"&l9;")
            zout.writestr(item, data)
    with pytest.raises(RenderError, match=r"^Mẫu bom\.docx có khai báo DOCTYPE/ENTITY trong phần word/document\.xml"):
        render_docx(bomb, {"ten": "x"}, tmp_path / "ra.docx")
    problems = check_template(bomb, {}, jinja_env()).problems
    assert [(p.severity, p.tag) for p in problems] == [(ERROR, "word/document.xml")]
    assert problems[0].rule.startswith("có khai báo DOCTYPE/ENTITY (Word không bao giờ ghi như vậy")


def test_the_check_names_what_it_refuses():
    env = jinja_env()
    from tongket.documents.template_check import unsafe_tags

    got = {(p.tag, p.rule.split(" → ")[0]) for p in unsafe_tags(env.parse(ESCAPES["cycler"]), env)}
    assert got == {("cycler", "«cycler» không dùng được trong mẫu (có thể bị lợi dụng để chạy lệnh)"),
                   ("__init__", "thẻ truy cập phần bên trong của Python («__init__»)"),
                   ("__globals__", "thẻ truy cập phần bên trong của Python («__globals__»)"),
                   ("popen", "mẫu không được gọi «popen(…)»"),
                   ("read", "mẫu không được gọi «read(…)»")}
    got = {p.rule.split(" → ")[0] for p in unsafe_tags(env.parse("{{ x|attr('a') }}{{ 'a' * 9 }}{{ 2 ** 9 }}"
                                                                 "{% include 'x' %}{{ range(1000000) }}"), env)}
    assert got == {"bộ lọc «attr» không được phép trong mẫu (dùng được: so, phan_tram, la_ma, upper, lower, title, "
                   "length, default, join, first, last, round…)",
                   "lặp chuỗi hoặc danh sách bằng «*» không dùng được trong mẫu",
                   "phép lũy thừa «**» không dùng được trong mẫu",
                   "mẫu không được nạp tệp khác (include, import, extends)",
                   "range(…) quá dài (tối đa 100.000 phần tử)"}


@pytest.mark.parametrize("src, message", [
    ("{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}",
     "vòng lặp chạy quá 2.000.000 bước"),
    ("{% for i in range(100000) %}{{ dai }}{% endfor %}", "văn bản điền ra quá dài (hơn 64.000.000 ký tự)"),
    ("{% set a = 'x' %}" + "{% set a = a ~ a %}" * 40 + "{{ a }}", "văn bản ghép nối quá dài"),
    ("{{ range(10**9)|length }}", "range() quá dài (1.000.000.000 > 100.000)"),
    ("{{ 'x' * 10**9 }}", "lặp chuỗi hoặc danh sách quá dài"),
    ("{{ 2 ** 100000000 }}", "lũy thừa quá lớn"),
    ("{{ '%0999999999d' % 1 }}", "mẫu không được định dạng chuỗi bằng %"),
])
def test_loops_text_and_output_are_bounded(tmp_path, src, message):
    tpl = _template(tmp_path / "mau_dai.docx", src)
    start = time.monotonic()
    with pytest.raises(RenderError, match="bị chặn vì an toàn") as exc:
        render_docx(tpl, {"dai": "y" * 1000}, tmp_path / "ra.docx")
    assert message in str(exc.value)
    assert time.monotonic() - start < 30


def test_what_a_template_needs_still_works(tmp_path):
    tpl = _template(tmp_path / "mau_dung.docx",
                    "{{ ten|upper }} & {{ so_lieu|length }}: {% for r in so_lieu %}{{ loop.index }}. {{ r.ten }}"
                    "{{ loop.cycle(';', '.') }} {% endfor %}{{ vb.get('so', '……') }} {{ 'a b'.split()|join('-') }}"
                    "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}"
                    " {{ ns.n }} {{ 1234567|so }}")
    out = render_docx(tpl, {"ten": "Đoàn xã <An> & Bình", "so_lieu": [{"ten": "A"}, {"ten": "B"}], "vb": {}},
                      tmp_path / "ra.docx")
    text = Document(out).paragraphs[0].text
    assert text == "ĐOÀN XÃ <AN> & BÌNH & 2: 1. A; 2. B. …… a-b 3 1.234.567"


# ------------------------------------------------------------------ 14. YAML alias bombs

BOMB = "\n".join(
    ["nam: 2021", 'b0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"b{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)] + ["ten_ky: *a8"]) + "\n"


def test_a_yaml_alias_bomb_is_refused_quickly_under_a_memory_cap(tmp_path):
    params = tmp_path / "tham_so_bom.yaml"
    params.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 1024  # 1 KB that would expand to 9^9 values
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # the kit imports pandas: 3 GB of address space
        from tongket.errors import ConfigError
        from tongket.rules.params import load_cycle
        try:
            load_cycle({str(params)!r})
        except ConfigError as exc:
            print(exc)
            sys.exit(2)
    """)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT / "lib"), "PATH": "/usr/bin:/bin"})
    took = time.monotonic() - start
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout.strip() == (
        "Tệp tham số tham_so_bom.yaml dùng tham chiếu (bí danh YAML «*tên») làm tệp phình ra hơn 100.000 giá trị: "
        "không phải tệp tham số thật, tệp không được đọc → Cách sửa: viết thẳng giá trị thay cho tham chiếu "
        "«&tên»/«*tên», hoặc dùng lại tệp gốc của bộ công cụ")
    assert took < 60


def test_the_cli_refuses_the_bomb_in_vietnamese(tmp_path, small_workbook, capsys):
    params = tmp_path / "tham_so_bom.yaml"
    params.write_text(BOMB, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(params), "--data", str(small_workbook), "--nam", "2021", "--out", str(tmp_path / "r.xlsx")])
    assert exc.value.code == 2
    assert "Tệp tham số tham_so_bom.yaml dùng tham chiếu" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("a: &a [1, *a]\n", "có tham chiếu vòng (bí danh YAML trỏ vào chính nó)"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "lồng quá sâu"),
])
def test_self_referring_and_deeply_nested_yaml_is_refused(tmp_path, text, message):
    from tongket.common.files import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as exc:
        read_yaml(path, "bộ tiêu chí")
    assert str(exc.value).startswith("Bộ tiêu chí x.yaml ")


def test_an_oversized_yaml_is_refused_and_small_anchors_still_read(tmp_path, monkeypatch):
    import tongket.common.files as files

    path = tmp_path / "x.yaml"
    path.write_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  z: 3\nd: [*b, *b]\n", encoding="utf-8")
    assert files.read_yaml(path, "tệp tham số") == {"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 2, "z": 3},
                                                    "d": [{"x": 1, "y": 2}, {"x": 1, "y": 2}]}
    monkeypatch.setattr(files, "MAX_YAML_KB", 0.01)
    with pytest.raises(ConfigError, match=r"^Tệp tham số .*x\.yaml quá lớn \(0 KB; giới hạn 0.01 KB\)"):
        files.read_yaml(path, "tệp tham số")


def test_every_yaml_the_kit_reads_goes_through_the_one_reader():
    """No module parses YAML but files.py (the round-trip editor reads its text from there)."""
    offenders = []
    for path in sorted((ROOT / "lib" / "tongket").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name != "files.py" and re.search(r"yaml\.(safe_)?load|YAML\(\)\.load|\.load\(\s*\w+\.read_text", text):
            offenders.append(path.name)
        if path.name == "whatif.py":
            assert "y.load(yaml_text(" in text
    assert offenders == []


# ------------------------------------------------------------------ 15. no formula in any workbook written

HOSTILE = {"T": "=Tỉnh Đoàn", "H1": '=HYPERLINK("http://x","Huyện Đoàn Một")', "C1": "=1+1 Đoàn xã An Bình",
           "C1.1": "=SUM(A1:A9) Chi đoàn ấp 1", "C2": "@Đoàn phường 2", "C3": "+Đoàn xã Đông Hòa",
           "C2.1": "-Chi đoàn khu phố 1"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cong_thuc")
    tree = small_tree()
    for u in tree:
        u["ten_don_vi"] = HOSTILE.get(u["ma_don_vi"], u["ten_don_vi"])
    cd, cs = small_rows()
    return write_exchange(folder / "ten_cong_thuc.xlsx", tree, cd, cs)


def _forms(data: Path, out: Path) -> list[Path]:
    main(["forms", "--data", str(data), "--nam", "2021", "--out", str(out)])
    return sorted(out.rglob("*.xlsx"))


def _collect(data: Path, out: Path) -> list[Path]:
    from tongket.intake.check import load
    from tongket.rules.params import load_cycle

    forms = _forms(data, out / "phieu")
    fill_forms(out / "phieu", load(data, load_cycle().scale), 2021)
    try:
        main(["collect", str(out / "phieu"), "--data", str(data), "--nam", "2021",
              "--out", str(out / "so_lieu.xlsx")])
    except SystemExit as exc:
        assert exc.code in (0, 1)
    assert forms
    return [out / "so_lieu.xlsx", out / "tinh_trang_thu_thap_2021.xlsx"]


def _check_out(data: Path, out: Path) -> list[Path]:
    bad = out / "co_van_de.xlsx"
    wb = openpyxl.load_workbook(data)
    wb["chi_doan"]["C2"] = "=năm mươi"  # a problem cell holding formula-like text too
    wb["chi_doan"]["C2"].data_type = "s"
    wb.save(bad)
    with pytest.raises(SystemExit):
        main(["check", str(bad), "--out", str(out / "van_de.xlsx")])
    return [out / "van_de.xlsx"]


def _assess(data: Path, out: Path) -> list[Path]:
    main(["assess", "--data", str(data), "--nam", "2021", "--out", str(out / "ket_qua.xlsx")])
    return [out / "ket_qua.xlsx"]


def _run(data: Path, out: Path) -> list[Path]:
    main(["run", "--data", str(data), "--nam", "2021", "--engine", "direct", "--jobs", "1", "--out", str(out)])
    # returns normally: exit status 0 (a failed unit would exit 1 through SystemExit)
    found = sorted(out.rglob("*.xlsx"))
    assert {p.name for p in found} >= {"nhat_ky_chay.xlsx", "phu_luc.xlsx", "phu_luc_so_lieu.xlsx"}
    return found


def _score_sheet(data: Path, out: Path) -> list[Path]:
    from dataclasses import replace

    from tongket.rules.scoresheet import load_score_sheet, write_excel

    sheet = load_score_sheet(ROOT / "params" / "bang_diem" / "bang_diem_mau.yaml")
    sheet = replace(sheet, name=HOSTILE["H1"])
    return [write_excel(sheet, out / "bang_diem.xlsx")]


WRITERS = {"forms": _forms, "collect": _collect, "check --out": _check_out, "assess --out": _assess,
           "run (appendix, run log)": _run, "score sheet": _score_sheet}


@pytest.mark.parametrize("writer", [pytest.param(w, marks=pytest.mark.slow) if w.startswith("run") else w for w in WRITERS])
def test_no_name_becomes_a_formula_in_any_workbook_the_kit_writes(hostile, tmp_path, writer, capsys):
    (tmp_path / "ra").mkdir()
    made = WRITERS[writer](hostile, tmp_path / "ra")
    capsys.readouterr()
    assert made
    texts, formulas = set(), []
    for path in made:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        formulas.append(f"{path.name}!{ws.title}!{c.coordinate}: {c.value}")
                    elif isinstance(c.value, str):
                        texts.add(c.value)
    assert formulas == []
    written = {v for v in HOSTILE.values() if any(v in t for t in texts)}
    assert written, f"{writer} wrote none of the hostile names: the test would prove nothing"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["=", "+", "-", "@"]),
       st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20))
def test_put_keeps_any_formula_like_text_as_text(tmp_path_factory, start, rest):
    from tongket.common.xlsx import put, save_workbook

    value = start + rest
    wb = openpyxl.Workbook()
    put(wb.active["A1"], value)
    wb.active["A2"] = value  # written by any other line: the save keeps it text all the same
    path = save_workbook(wb, tmp_path_factory.mktemp("x") / "x.xlsx")
    back = openpyxl.load_workbook(path).active
    assert (back["A1"].data_type, back["A1"].value) == ("s", value)
    assert (back["A2"].data_type, back["A2"].value) == ("s", value)
