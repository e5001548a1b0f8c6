"""The command line: tongket run | assess | check | kiem-tra-van-ban | …. Messages are in Vietnamese; the kit's own
errors are caught once here and shown without a traceback, with the contract's exit codes."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, overload

import click

from .batch.engines import ENGINES
from .batch.options import RunOptions
from .cli_text import placeholders, speak_vietnamese, vietnamese
from .common.schema import CAP_BAO_CAO
from .common.vietnamese import so
from .errors import CommandLineError, ProblemsFound, Stopped, TongketError, kit_error
from .workspace import workspace_commands

__all__ = ["cli", "main"]


def _option(name: str, *decls: str, **kwargs: Any) -> Callable[[Any], Any]:
    """The `tongket run` option for the run's option `name`: its help and default as RunOptions declares them."""
    default = RunOptions.default(name)
    if default is not None and not kwargs.get("multiple"):
        kwargs.setdefault("default", default)
    return click.option(*decls, name, help=RunOptions.help(name), **kwargs)


_PARAMS = click.argument("params", required=False, type=click.Path(dir_okay=False))
_DATA = _option("data", "--data", type=click.Path(dir_okay=False))
_NAM = _option("nam", "--nam", type=int)
_CAP = _option("cap_bao_cao", "--cap-bao-cao", type=click.Choice(list(CAP_BAO_CAO)))


@overload
def _abs(p: str) -> str: ...
@overload
def _abs(p: str | None) -> str | None: ...
def _abs(p: str | None) -> str | None:
    """The path made absolute (from the directory the command runs in), or None."""
    return str(Path(p).expanduser().resolve()) if p else None


def _refuse_overwrite(out: str | Path | None, inputs: dict[str, str | Path | None]) -> None:
    """Refuse, before anything is written, an output file that is one of the command's inputs."""
    if not out:
        return
    target = Path(out).expanduser().resolve()
    for what, p in inputs.items():
        if not p:
            continue
        source = Path(p).expanduser().resolve()
        same = source == target
        if not same and source.exists() and target.exists():
            try:
                same = target.samefile(source)
            except OSError:
                same = False
        if same:
            raise TongketError(f"Tệp kết quả (--out) trùng với {what} {source.name}: ghi ra sẽ xóa mất tệp đó. "
                               f"Hãy chọn tên khác, ví dụ {source.stem}_ket_qua.xlsx. Chưa ghi gì.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """tongket: đánh giá cơ sở Đoàn và lập báo cáo tổng kết."""


@cli.command()
@_PARAMS
@_DATA
@_NAM
@_CAP
@_option("ma_bao_cao", "--ma-bao-cao", "--huyen", multiple=True)
@_option("jobs", "--jobs", type=click.IntRange(1, 256))
@_option("out", "--out", type=click.Path(file_okay=False))
@_option("pdf", "--pdf", is_flag=True)
@_option("gop_phieu", "--gop-phieu", is_flag=True)
@_option("engine", "--engine", type=click.Choice(ENGINES), show_default=True)
@_option("force", "--force", is_flag=True)
@_option("timeout", "--timeout", type=click.FloatRange(1), show_default=True)
@_option("scheduler", "--scheduler")
def run(params, data, nam, cap_bao_cao, ma_bao_cao, jobs, out, pdf, gop_phieu, engine, force, timeout,
        scheduler) -> None:
    """Chạy cả kỳ đánh giá: văn bản từng đơn vị báo cáo (huyện, hoặc Đoàn cơ sở) qua papermill,
    rồi văn bản tổng hợp của tỉnh.

    Đơn vị có dữ liệu, tham số, mẫu văn bản không đổi so với lần chạy thành công trước được bỏ
    qua («không đổi»); --force chạy lại tất cả, --ma-bao-cao (hoặc --huyen) chạy lại các đơn vị được nêu."""
    from .batch.runner import run as run_batch

    codes = [c.strip() for h in ma_bao_cao for c in h.split(",") if c.strip()]
    result = run_batch(_abs(params), _abs(data), nam, codes or None, jobs, _abs(out), pdf=pdf, gop_phieu=gop_phieu,
                       engine=engine, force=force, timeout=timeout, scheduler=scheduler, cap_bao_cao=cap_bao_cao)
    for e in result.entries:
        mark = "không đổi" if e.skipped else "xong" if e.status == "ok" else "LỖI"
        if e.status == "ok" and e.missing_units:
            mark += " một phần"
        took = "bỏ qua" if e.skipped else f"{so(e.timings.get('seconds', 0), 1)} giây"
        click.echo(f"[{mark}] {e.ten_don_vi} ({e.ma_don_vi}) — {took}")
        if e.missing_units:
            click.echo(f"    số liệu toàn tỉnh chưa gồm: {', '.join(e.missing_units)} (số liệu có lỗi)")
        for w in e.warnings:
            click.echo(f"    cảnh báo: {w}")
        if e.error:
            for line in e.error.splitlines():
                click.echo(f"    {line}")
    ok = sum(e.status == "ok" for e in result.entries)
    same = len(result.unchanged)
    skipped = f" ({same} đơn vị không đổi, bỏ qua; --force để chạy lại)" if same else ""
    done = ("Hoàn thành (một phần)" if result.partial else "Hoàn thành") if ok or not result.entries \
        else "Chưa hoàn thành đơn vị nào:"
    click.echo(f"{done} {ok}/{len(result.entries)} đơn vị{skipped}. Kết quả: {result.folder}")
    log = f"Nhật ký chạy: {result.manifest} (bảng tóm tắt: {result.manifest.with_name('nhat_ky_chay.xlsx')})"
    if result.exit_code:
        raise ProblemsFound(log)
    click.echo(log)


@cli.command()
@_PARAMS
@_DATA
@_NAM
@_CAP
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Tệp kết quả RESULT.xlsx.")
def assess(params, data, nam, cap_bao_cao, out) -> None:
    """Chỉ đánh giá (không lập văn bản): ghi các bảng kết quả ra tệp Excel."""
    from .assessment.assess import assess as assess_all
    from .documents.tables import write_tables
    from .errors import DataError
    from .intake.check import for_cycle, require_year
    from .rules.params import load_cycle

    cycle = load_cycle(_abs(params), data=_abs(data), nam=nam, cap_bao_cao=cap_bao_cao)
    _refuse_overwrite(out, {"sổ dữ liệu": cycle.data, "tệp tham số": cycle.path})
    d = for_cycle(cycle)  # also every column the cycle reads, every unit's rows
    if d.errors:
        raise DataError(d.errors)
    require_year(d, cycle.nam)
    from .pipeline import Review, analysis_tables

    full = assess_all(d, cycle)
    results = full.year(cycle.nam)
    path = write_tables(results.tables() | analysis_tables(Review(cycle, d, full), cycle.nam), Path(out))
    t = results.tinh.iloc[0]
    click.echo(f"Đã đánh giá {len(results.chi_doan)} chi đoàn, {len(results.co_so)} Đoàn cơ sở, "
               f"{len(results.huyen)} huyện năm {cycle.nam}"
               + (", báo cáo theo từng Đoàn cơ sở" if cycle.cap_bao_cao == "co_so" else "") + f". Kết quả: {path}")
    click.echo(f"Toàn tỉnh: {int(t['so_chi_doan_dat_chuan'])}/{int(t['so_chi_doan_dan_cu'])} chi đoàn dân cư đạt chuẩn.")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Ghi danh sách vấn đề ra tệp Excel.")
@click.option("--params", "params", type=click.Path(dir_okay=False),
              help="Tham số kỳ đánh giá (thang xếp loại, bộ tiêu chí, bảng điểm, năm, cấp báo cáo).")
@click.option("--nam", type=int, help="Năm cần kiểm tra đủ số liệu (mặc định: năm của --params, không có thì năm "
                                      "mới nhất trong sổ).")
def check(file, out, params, nam) -> None:
    """Kiểm tra sổ Excel dữ liệu và tham số kỳ đánh giá, liệt kê mọi lỗi và cảnh báo bằng tiếng Việt:
    cả các cột mà bộ tiêu chí, bảng điểm, số liệu tổng hợp cần, và các đơn vị chưa có số liệu của năm."""
    from .errors import ERROR, ConfigError, DataError, Issue
    from .intake.check import for_cycle
    from .intake.coverage import cycle_issues
    from .intake.issues_book import write_issues_workbook
    from .intake.workbook import read_workbook
    from .rules.params import load_cycle

    _refuse_overwrite(out, {"sổ dữ liệu đang kiểm tra": file, "tệp tham số": params})
    param_issues = []
    try:  # the cycle, its rubrics, scales and score sheets are checked too
        cycle = load_cycle(_abs(params))
    except ConfigError as exc:
        param_issues.append(Issue(Path(params or "tham_so").name, "tham số", None, None, None, str(exc)))
        params = None
        cycle = load_cycle()  # check the workbook against the bundled scale all the same
    try:
        raw = read_workbook(Path(file))
        data = for_cycle(cycle, raw, coverage=False)  # typed as every run reads it
        year = nam if nam is not None else cycle.nam if params else max(data.years, default=None)
        if year is not None and year != cycle.nam:  # the points typed are checked for the year checked
            data = for_cycle(dataclasses.replace(cycle, nam=year), raw, coverage=False)
        found = data.issues + (cycle_issues(raw, data, cycle, year) if year is not None else [])
        if params and year is not None and not any(i.severity == ERROR for i in found):
            found += _score_issues(Path(file).name, data, cycle, year)
    except DataError as exc:  # not a workbook at all: that is the problem found
        found = exc.issues
    issues = param_issues + found
    errors = [i for i in issues if i.severity == ERROR]
    warnings = [i for i in issues if i.severity != ERROR]
    for i in issues:
        click.echo(str(i))
    if out:
        write_issues_workbook(issues, Path(out), Path(file))
        click.echo(f"Đã ghi danh sách vấn đề (trang van_de) và bản sao sổ có tô màu các ô cần sửa: {out}")
    if errors:
        raise ProblemsFound(f"Có {len(errors)} lỗi và {len(warnings)} cảnh báo. Hãy sửa các lỗi rồi kiểm tra lại.")
    click.echo(f"Không có lỗi ({len(warnings)} cảnh báo). Tệp {Path(file).name} dùng được.")


def _score_issues(name: str, data, cycle, year: int) -> list:
    """With the cycle's score sheets: units whose two scores differ beyond the tolerance, and an
    example score sheet in use (the same warnings the run gives), as warnings of the check."""
    from .assessment.assess import assess
    from .assessment.scoring import score_warnings
    from .errors import WARNING, Issue

    return [Issue(name, "co_so", None, "Điểm", None, w, WARNING, fix=None if "VÍ DỤ" in w else
                  "Đối chiếu điểm đơn vị báo cáo với bảng điểm; sửa số liệu, hoặc chọn nguồn điểm quyết định "
                  "xếp loại (nguon_diem trong tệp tham số)")
            for w in score_warnings(cycle, assess(data, cycle).co_so, year)]


def _cycle_data(params, data, nam):
    """The cycle and its data workbook, refused with every error where the tree cannot be trusted."""
    from .errors import DataError
    from .intake.check import for_cycle
    from .rules.params import load_cycle

    cycle = load_cycle(_abs(params), data=_abs(data), nam=nam)
    d = for_cycle(cycle, coverage=False)
    tree_errors = [i for i in d.errors if i.sheet == "don_vi" or i.row is None]
    if tree_errors:
        raise DataError(tree_errors)
    return cycle, d


@cli.command()
@_PARAMS
@_DATA
@_NAM
@click.option("--out", type=click.Path(file_okay=False), help="Thư mục ghi phiếu (mặc định: outputs/<năm>/phieu_thu_thap).")
@click.option("--huyen", multiple=True, help="Chỉ lập phiếu cho các huyện (hoặc đơn vị) có mã này.")
@click.option("--dang-ky", "dang_ky", is_flag=True,
              help="Lập phiếu đăng ký đầu năm (“3 chủ động”, chi đoàn đạt chuẩn) thay cho phiếu số liệu cuối năm.")
def forms(params, data, nam, out, huyen, dang_ky) -> None:
    """Lập phiếu thu thập số liệu: mỗi Đoàn cơ sở một tệp Excel, chi đoàn điền sẵn, số liệu năm trước để đối chiếu."""
    from .common import paths
    from .intake.forms import write_forms
    from .intake.registration import write_registration_forms

    cycle, d = _cycle_data(params, data, nam)
    stage = "phieu_dang_ky" if dang_ky else "phieu_thu_thap"
    folder = Path(_abs(out)) if out else paths.OUTPUTS / str(cycle.nam) / stage
    codes = [c.strip() for h in huyen for c in h.split(",") if c.strip()]
    if dang_ky:
        made = write_registration_forms(d, cycle.nam, folder, "", codes or None, lich=cycle.lich)
    else:
        made = write_forms(d, cycle.nam, folder, cycle.han_nop, cycle.ten_ky, codes or None, lich=cycle.lich)
    if not made:
        raise TongketError("Không có đơn vị nào để lập phiếu" + (f" (mã: {', '.join(codes)})" if codes else ""))
    by_huyen: dict[str, int] = {}
    for f in made:
        by_huyen[f.ma_huyen] = by_huyen.get(f.ma_huyen, 0) + 1
    for h, n in by_huyen.items():
        click.echo(f"  {h}: {n} phiếu")
    han = f"; hạn gửi {cycle.han_nop.strftime('%d/%m/%Y')}" if cycle.han_nop and not dang_ky else ""
    click.echo(f"Đã lập {len(made)} phiếu{' đăng ký' if dang_ky else ''} năm {cycle.nam}{han}. Thư mục: {folder}")
    again = " --dang-ky" if dang_ky else ""
    click.echo(f"Gửi mỗi đơn vị tệp của mình; nhận lại thì để chung một thư mục và chạy: tongket collect THƯ_MỤC{again}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
@_PARAMS
@_DATA
@_NAM
@click.option("--out", type=click.Path(dir_okay=False),
              help="Sổ số liệu tổng hợp (mặc định: outputs/<năm>/thu_thap/so_lieu_<năm>.xlsx).")
@click.option("--han-nop", "han_nop", help="Hạn nộp dạng YYYY-MM-DD (mặc định: thu_thap.han_nop của tham số).")
@click.option("--dang-ky", "dang_ky", is_flag=True,
              help="Nhận phiếu đăng ký đầu năm: gộp vào trang dang_ky, bảng tình trạng đăng ký.")
def collect(folder, params, data, nam, out, han_nop, dang_ky) -> None:
    """Nhận phiếu đã nộp trong THƯ_MỤC: kiểm tra từng tệp, gộp thành một sổ số liệu và bảng tình trạng nộp."""
    from .common import paths
    from .errors import ERROR
    from .intake.collect import CHUA_NOP, DA_NOP, write_exchange, write_status
    from .intake.collect import collect as collect_forms
    from .rules.params import parse_date

    cycle, d = _cycle_data(params, data, nam)
    deadline = parse_date(han_nop) if han_nop else cycle.lich  # each return against its own step's date
    book = f"so_lieu_dang_ky_{cycle.nam}.xlsx" if dang_ky else f"so_lieu_{cycle.nam}.xlsx"
    target = Path(_abs(out)) if out else paths.OUTPUTS / str(cycle.nam) / "thu_thap" / book
    status_path = target.with_name(f"tinh_trang_{'dang_ky' if dang_ky else 'thu_thap'}_{cycle.nam}.xlsx")
    goal = cycle.targets.get("ty_le_dang_ky")
    res = collect_forms(_abs(folder), d, cycle.nam, cycle.scale, cycle.emulation, deadline,
                        exclude=[target, status_path], stage="dang_ky" if dang_ky else "",
                        muc_tieu=0.9 if goal is None else float(goal))  # never its own earlier output
    write_exchange(res.data, target)
    write_status(res, status_path)
    for i in res.issues:
        if i.severity == ERROR:
            click.echo(str(i))
    st = res.status["Tình trạng"].value_counts()
    parts = ", ".join(f"{n} {s}" for s, n in st.items())
    click.echo(f"{len(res.files)} tệp, {len(res.status)} đơn vị phải nộp: {parts}.")
    missing = res.status[res.status["Tình trạng"] == CHUA_NOP]
    for h, group in missing.groupby("Huyện", sort=False):  # the full list is in the status workbook
        names = [f"{r['Tên đơn vị']} ({r['Mã đơn vị']})" for _, r in group.iterrows()]
        more = f" và {len(names) - 5} đơn vị khác" if len(names) > 5 else ""
        click.echo(f"  Chưa nộp, {h}: {', '.join(names[:5])}{more}")
    click.echo(f"Sổ số liệu tổng hợp: {target}")
    click.echo(f"Tình trạng nộp, vấn đề và dòng bị loại: {status_path}")
    n_err, n_warn = len(res.errors), len(res.issues) - len(res.errors)
    if n_err or (res.status["Tình trạng"].isin([DA_NOP, CHUA_NOP]) == False).any():  # noqa: E712
        said = f"Có {n_err} lỗi và {n_warn} cảnh báo; {len(res.rejected)} dòng bị loại (chưa đưa vào sổ)."
        if n_err:
            raise ProblemsFound(said)
        click.echo(said)


@cli.command("kiem-tra-van-ban")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--params", "params", type=click.Path(exists=True, dir_okay=False),
              help="Tham số kỳ đánh giá để tính lại kết quả (mặc định: tham số ghi trong manifest.json của lần chạy).")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False),
              help="Sổ Excel dữ liệu để tính lại kết quả (mặc định: sổ ghi trong manifest.json của lần chạy).")
@click.option("--chi-tiet", "chi_tiet", is_flag=True, help="Liệt kê từng vi phạm (mặc định: gộp vi phạm cùng loại).")
def kiem_tra_van_ban(output_dir, params, data, chi_tiet) -> None:
    """Đọc lại các văn bản đã lập trong OUTPUT_DIR (thư mục năm có manifest.json, hoặc thư mục chứa
    nó) và kiểm tra như người ký: số liệu khớp bảng kết quả, quyết định chỉ công nhận đơn vị đủ điều
    kiện và là dự thảo khi còn chi đoàn chờ thẩm định, không còn thẻ mẫu, từ mã, tên trùng.
    Mã thoát: 0 không có vi phạm, 1 có vi phạm, 2 tham số sai."""
    from .batch.recheck import check_output
    from .documents.doccheck import RULES, summary

    found, notes = check_output(_abs(output_dir), _abs(params), _abs(data))
    for n in notes:
        click.echo(f"Lưu ý: {n}")
    total = 0
    for unit, fs in found.items():
        total += len(fs)
        if not fs:
            click.echo(f"[đạt] {unit}")
            continue
        click.echo(f"[VI PHẠM] {unit}: {len(fs)} vi phạm")
        for line in ([str(f) for f in fs] if chi_tiet else summary(fs)):
            click.echo(f"    {line}")
    if total:
        by_rule = {r: sum(f.rule == r for fs in found.values() for f in fs) for r in RULES}
        parts = ", ".join(f"{n} {RULES[r]}" for r, n in by_rule.items() if n)
        raise ProblemsFound(f"Có {total} vi phạm trong {sum(bool(fs) for fs in found.values())}/{len(found)} đơn vị: "
                            f"{parts}.")
    click.echo(f"Không có vi phạm trong văn bản của {len(found)} đơn vị.")


@cli.group()
def templates() -> None:
    """Mẫu văn bản Word: kiểm tra và danh sách trường."""


@templates.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True))
def templates_check(files) -> None:
    """Kiểm tra các mẫu (mặc định: thư mục templates/): trường lạ, trường thiếu, thẻ viết sai."""
    from .common import paths
    from .documents.template_check import check as check_templates

    reports = check_templates([Path(f) for f in files] or [paths.TEMPLATES])
    n_err = sum(len(r.errors) for r in reports)
    for r in reports:
        kind = f" ({r.doc_key})" if r.doc_key else ""
        click.echo(f"Mẫu {r.path.name}{kind}: {len(r.fields)} trường: {', '.join(r.fields)}")
        for p in r.problems:
            click.echo(str(p))
    n_warn = sum(len(r.problems) for r in reports) - n_err
    if n_err:
        raise ProblemsFound(f"Có {n_err} lỗi và {n_warn} cảnh báo trong {len(reports)} mẫu. Sửa lỗi rồi kiểm tra lại.")
    click.echo(f"{len(reports)} mẫu dùng được ({n_warn} cảnh báo).")


@templates.command("list")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Ghi ra tệp (ví dụ templates/README.md).")
def templates_list(out) -> None:
    """Danh sách trường của mọi mẫu văn bản (Markdown)."""
    from .common.files import write_text
    from .documents.template_check import field_list

    text = field_list()
    if out:
        write_text(out, text)
        click.echo(f"Đã ghi danh sách trường: {out}")
    else:
        click.echo(text)


_CODE_OPTIONS = ("--ma-bao-cao", "--huyen")  # options that take several codes after one flag


def _spread_codes(argv: list[str]) -> list[str]:
    """Let `--ma-bao-cao A B C` (or `--huyen A B C`) mean `--ma-bao-cao A --ma-bao-cao B
    --ma-bao-cao C` (contract §2)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        out.append(a)
        i += 1
        if a in _CODE_OPTIONS and i < len(argv):
            out.append(argv[i])
            i += 1
            while i < len(argv) and not argv[i].startswith("-") and not argv[i].lower().endswith((".yaml", ".yml")):
                out += [a, argv[i]]
                i += 1
    return out


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `tongket` command: the kit's errors (click's kind of error) are shown, with
    their exit status, here only; click's own, the disk's and Ctrl-C become kit errors first."""
    import os

    language = os.environ.get("LANGUAGE")
    speak_vietnamese()
    args = _spread_codes(list(sys.argv[1:] if argv is None else argv))
    try:
        _invoke(args)
    except TongketError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    finally:  # the process's language as it was (a caller's own gettext messages stay theirs)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def _invoke(args: list[str]) -> None:
    """Run the command; what click, the disk or the analyst stops it with becomes the kit's error
    (any other exception is a bug and keeps its traceback)."""
    try:
        cli.main(args=args, prog_name="tongket", standalone_mode=False)
    except click.exceptions.Exit as exc:  # --help
        sys.exit(exc.exit_code)
    except TongketError:
        raise
    except click.ClickException as exc:
        raise CommandLineError(f"Lỗi tham số dòng lệnh: {vietnamese(exc.format_message())} → Cách sửa: xem "
                               "«tongket --help» hoặc «tongket <lệnh> --help»") from exc
    except click.exceptions.Abort as exc:
        raise Stopped() from exc
    except OSError as exc:  # a full, read-only or forbidden output disk; any other OSError is a bug
        error = kit_error(exc)
        if error is None:
            raise
        raise error from exc


for _command in workspace_commands():  # init, demo, lab, dashboard: the office's workspace
    cli.add_command(_command)
placeholders(cli)
