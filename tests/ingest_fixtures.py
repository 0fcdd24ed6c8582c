"""Writers of the ingest fixtures: the seed report (or any report text) saved as a government web
page, a PDF, a .docx, GB18030 text, plus broken files. Generated from the text at test time so no
third-party file is copied, and shared by the tests and `benchmarks/ingest_corpus.py`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "kg" / "sample" / "000_01c10ac9e2f52e48.txt"
SEED_URL = "http://www.cixi.gov.cn/art/2023/3/1/art_1229023487_59032291.html"


def split_header(text: str) -> tuple[str, str | None, list[str]]:
    """The title line, the page-data line (发布日期…) if any, and the body paragraphs of a report text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, rest = lines[0], lines[1:]
    if rest and rest[0].startswith("发布日期"):
        return title, rest[0], rest[1:]
    return title, None, rest


def write_gb18030(text: str, path: Path) -> Path:
    path.write_bytes(text.encode("gb18030"))
    return path


def write_html(text: str, path: Path, url: str = SEED_URL, charset: str = "utf-8") -> Path:
    """The report as a saved government page: navigation, breadcrumb, share box and footer around it."""
    title, info, body = split_header(text)
    paras = "\n".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in body)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(title)}_慈溪市人民政府</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:url" content="{escape(url)}">
<script>var _hmt = _hmt || []; function share(){{ return "分享到微信"; }}</script>
<style>.nav li {{ float: left; }}</style>
</head><body>
<div id="top"><a href="/">无障碍浏览</a> <a href="/eng">English</a> <a href="/">长者模式</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zmhd/">政民互动</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/zjcx/">走进慈溪</a></li></ul></div>
<div class="crumb">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设年度报告</div>
<div class="main"><div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info">{escape(info or "")}&nbsp;&nbsp;浏览次数:1024&nbsp;&nbsp;字号:[大 中 小]</div>
<div class="content" id="zoom">
{paras}
</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="share">分享到:微信 微博 QQ空间</div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a/1.html">关于印发2023年政务公开工作要点的通知</a></li>
<li><a href="/a/2.html">2022年度政府信息公开工作年度报告</a></li><li><a href="/a/3.html">政策解读:营商环境优化提升行动</a></li></ul></div></div>
<div class="footer"><p>主办单位:慈溪市人民政府办公室 承办:慈溪市大数据发展中心</p>
<p>版权所有 浙ICP备05012345号 浙公网安备 33028202000123号 网站标识码:3302820001</p>
<p><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a> | <a href="/sm/">网站声明</a></p></div>
</body></html>
"""
    path.write_bytes(page.encode(charset))
    return path


def write_pdf(text: str, path: Path, font: Path | None = None) -> Path:
    """The report as a typeset PDF: 2-character first-line indent, wrapped lines, several pages.

    With `font` (a TrueType file) the font is embedded with its Unicode map, as in most published
    PDFs; without, reportlab's built-in CID font STSong-Light is used (pdfminer loses "·" there).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    name = "ReportCJK" if font else "STSong-Light"
    pdfmetrics.registerFont(TTFont(name, str(font), subfontIndex=0) if font else UnicodeCIDFont(name))
    style = ParagraphStyle("body", fontName=name, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    heading = ParagraphStyle("title", parent=style, fontSize=16, leading=28, alignment=1, firstLineIndent=0)
    title, info, body = split_header(text)
    flow = [Paragraph(escape(title), heading)]
    flow += [Paragraph(escape(p), style) for p in ([info] if info else []) + body]
    SimpleDocTemplate(str(path), pagesize=A4, title=title).build(flow)
    return path


def write_docx(text: str, path: Path) -> Path:
    """The report as a Word document: title as a heading, one paragraph per line."""
    import docx

    title, info, body = split_header(text)
    document = docx.Document()
    document.add_heading(title, level=1)
    for para in ([info] if info else []) + body:
        document.add_paragraph(para)
    document.save(str(path))
    return path


def write_corrupt_pdf(path: Path) -> Path:
    """A PDF cut off after its header: what a failed download leaves behind."""
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty")
    return path


def write_binary(path: Path) -> Path:
    """Bytes that are no text in any encoding (a deterministic pseudo-random blob with NULs)."""
    data = bytes((i * 7919 + 13) % 256 for i in range(4096))
    path.write_bytes(data)
    return path
