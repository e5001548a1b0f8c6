"""The read-back check looks for code words in a whole document with one search first and reads it
block by block only where that search finds something (issue 21). The search must never pass a
document in which a block holds a code word: for any blocks, the document's findings are the findings
of its blocks one by one, whatever stands at the blocks' edges (a lookahead over spaces, «đảng» at
the end of one block and «viên» at the start of the next)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tongket.documents.doccheck import code_words
from tongket.documents.doccheck.reader import Block, Doc

PIECES = ["của đảng", "cho đảng", "viên", "bộ", "tc4", "tc 5", "nhom1", "cd1_2", "seed", "hạt giống", "so_lan",
          "ma_don_vi", "=", " = ", ">=", "≥ 5%)", "≤ 1)", "điều lệ", "Điều lệ Đoàn", "mức bảo vệ", "ST01", "ST01.02",
          "AB12", " ", "  ", "\t", ".", "/", "@", "-", "(", ")", "a", "Đ", "1", "_", "x", "đoàn viên", "Chi đoàn ấp A"]
BLOCK = st.builds(Block, st.lists(st.sampled_from(PIECES), max_size=6).map("".join), st.booleans())


@settings(max_examples=400, deadline=None)
@given(st.lists(BLOCK, max_size=5), st.sampled_from([None, set(), {"ST01"}, {"ST01.02", "AB12"}]))
def test_one_search_over_a_document_misses_no_code_word_of_any_block(blocks, codes):
    doc = Doc("bao_cao_tong_ket.docx", blocks)
    one_by_one = [f for b in blocks for f in code_words(Doc("bao_cao_tong_ket.docx", [b]), codes)]
    assert code_words(doc, codes) == one_by_one


def test_a_code_word_at_a_blocks_edge_is_found_however_the_next_block_begins():
    # «cho đảng» ends the first block; the second begins «viên»: joined by a space or a line break the
    # lookahead («đảng» not followed by «viên») would see «đảng viên» and pass it
    doc = Doc("bao_cao_tong_ket.docx", [Block("Giới thiệu đoàn viên ưu tú cho đảng", True),
                                        Block("viên chức trẻ tham gia", True)])
    assert [f.detail.split(":")[0] for f in code_words(doc)] == ["«cho đảng»"]
