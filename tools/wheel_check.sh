#!/usr/bin/env bash
# The kit as an office installs it (CI runs this after the tests): build the wheel, install it in a
# fresh venv outside the checkout, make a workspace in an empty folder with a Vietnamese name, run
# the sample cycle there, and check that the documents were written from the workspace's files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
"$root/.venv/bin/python" -m pip wheel --quiet --no-deps -w "$work/dist" "$root"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet -c "$root/constraints.txt" "$work"/dist/tongket-*.whl
installed=$(date +%s)
ws="$work/Văn phòng Tỉnh Đoàn"
cd "$work"
"$work/venv/bin/tongket" init "$ws"
cd "$ws"
sed -i 's/^ten_ky: Tổng kết/ten_ky: Tổng kết (bản của văn phòng)/' params/tong_ket_2021.yaml
"$work/venv/bin/tongket" run params/tong_ket_2021.yaml
test -s outputs/2021/ST/bao_cao_tong_hop.docx
test -s outputs/2021/ST02/bao_cao_tong_ket.docx
"$work/venv/bin/python" - <<'PY'
from docx import Document
text = "\n".join(p.text for p in Document("outputs/2021/ST02/bao_cao_tong_ket.docx").paragraphs)
assert "Tổng kết (bản của văn phòng)" in text, "the run did not use the workspace's cycle file"
PY
if grep -rq "$root" outputs/2021/manifest.json; then
  echo "the run read files from the checkout $root" >&2
  exit 1
fi
echo "wheel-check: cài đặt $((installed - start)) s, môi trường $(du -sh "$work/venv" | cut -f1), chạy mẫu $(( $(date +%s) - installed )) s: được"
