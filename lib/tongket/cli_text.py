"""The command line's own words in Vietnamese: click's scaffolding through its gettext catalogue
(locale/vi), the placeholders of values, and click's error messages reworded."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click

__all__ = ["placeholders", "speak_vietnamese", "vietnamese"]


_CLICK_VI = [  # click's own messages (8.x), in the analyst's language
    (r"(File|Path|Directory) '(.*)' is a directory\.", r"«\2» là một thư mục, cần một tệp"),
    (r"(File|Path|Directory) '(.*)' is a file\.", r"«\2» là một tệp, cần một thư mục"),
    (r"(File|Path|Directory) '(.*)' does not exist\.", r"không có «\2»"),
    (r"(File|Path|Directory) '(.*)' is not (readable|writable)\.", r"không có quyền đọc hoặc ghi «\2»"),
    (r"Invalid value for (.*?): ", r"giá trị không hợp lệ cho \1: "),
    (r"Missing argument (.*)\.", r"thiếu \1"),
    (r"Missing option (.*)\.", r"thiếu tùy chọn \1"),
    (r"No such option:? '?([^'\s]+?)'?\.?(?=\s|$)", r"không có tùy chọn «\1»;"),
    (r"No such command '(.*)'\.", r"không có lệnh «\1»;"),
    (r"Did you mean (.*)\?", r"có phải \1?"),
    (r"\(Possible options: (.*)\)", r"(có thể là: \1)"),
    (r"Got unexpected extra arguments? \((.*)\)", r"thừa đối số (\1)"),
    (r"Option '(.*)' requires an argument\.", r"tùy chọn «\1» cần một giá trị"),
    (r"'(.*)' is not a valid (integer|float)( range)?\.", r"«\1» không phải là số"),
    (r"'(.*)' is not one of (.*)\.", r"«\1» không phải một trong \2"),
    (r"(.*) is not in the range (.*)\.", r"\1 nằm ngoài khoảng \2"),
]


def speak_vietnamese() -> None:
    """click's own words (usage line, section titles, the help option, defaults) in Vietnamese: its
    gettext catalogue (locale/vi, compiled by tools/build_locale.py) for the default domain click
    uses, the language chosen for this process."""
    import gettext
    import os

    gettext.bindtextdomain("messages", str(Path(__file__).parent / "locale"))
    os.environ["LANGUAGE"] = "vi"  # the command speaks Vietnamese whatever the PC's language


def placeholders(cli: click.Group) -> None:
    """The placeholders of the usage line and of the options' values in Vietnamese (SỐ, CHUỖI)."""
    for command in [cli, *_commands(cli)]:
        command.options_metavar = "[TÙY_CHỌN]"
        if isinstance(command, click.Group):
            command.subcommand_metavar = "LỆNH [ĐỐI_SỐ]..."
        # click makes each command's help option once, in the language of that moment (a caller
        # that never set ours gets English): its words are set to ours whenever it is asked for
        command.get_help_option = _help_in_vietnamese(command.get_help_option)  # type: ignore[method-assign,assignment]
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and param.metavar is None:
                param.metavar = _METAVAR.get(param.type.name)


HELP = "Hiện hướng dẫn này rồi thoát."


def _help_in_vietnamese(get: Callable[[click.Context], click.Option | None]) -> Callable[[click.Context], click.Option | None]:
    """A command's `get_help_option`, its option's words in Vietnamese."""

    def get_help_option(ctx: click.Context) -> click.Option | None:
        option = get(ctx)
        if option is not None:
            option.help = HELP
        return option

    return get_help_option


_METAVAR = {"integer": "SỐ", "float": "SỐ", "integer range": "SỐ", "float range": "SỐ", "text": "CHUỖI",
            "file": "TỆP", "directory": "THƯ_MỤC", "path": "ĐƯỜNG_DẪN"}


def _commands(group: click.Group) -> list[click.Command]:
    """Every command under a group, subgroups' included."""
    out: list[click.Command] = []
    for command in group.commands.values():
        out.append(command)
        if isinstance(command, click.Group):
            out += _commands(command)
    return out


def vietnamese(message: str) -> str:
    """click's message in Vietnamese (a message it words otherwise is kept as it is)."""
    for pattern, repl in _CLICK_VI:
        message = re.sub(pattern, repl, message)
    return message
