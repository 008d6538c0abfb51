"""index.pdf: the bundle's Chinese index (电子证据清单), rendered with WeasyPrint. No Django import.

The HTML comes from a string.Template with every value escaped; WeasyPrint is imported only when a PDF is
made. The document carries the case, the log's checkpoint, one row per entry and a plain-language section
on how to verify the bundle and on what the law says about such evidence.
"""

from __future__ import annotations

import hashlib
from html import escape
from string import Template

from qingzhai.evidence.bundle.layout import (
    BundleInput,
    china_time,
    parse_checkpoint,
    parse_record_time,
)
from qingzhai.evidence.kinds import KINDS

FONTS = '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>电子证据清单 $case</title>
<meta name="dcterms.created" content="$created">
<meta name="author" content="$author">
<style>
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-family: $fonts; font-size: 8pt; color: #555; } }
body { font-family: $fonts; font-size: 9.5pt; line-height: 1.5; color: #111; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm 0; }
h2 { font-size: 12pt; margin: 6mm 0 2mm 0; border-bottom: 0.6pt solid #333; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.5pt solid #777; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
table.facts th { width: 24%; }
table.items { table-layout: fixed; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; background: #f3f3f3; word-break: break-all; }
p, li { text-align: left; }
ol { padding-left: 6mm; }
.small { font-size: 8.5pt; color: #333; }
</style></head><body>
<h1>电子证据清单</h1>
<table class="facts">
<tr><th>案号</th><td>$case</td></tr>
<tr><th>债权人</th><td>$creditor</td></tr>
<tr><th>日志标识（origin）</th><td class="mono">$origin</td></tr>
<tr><th>检查点日志大小</th><td>$size 条记录</td></tr>
<tr><th>检查点根哈希（SHA-256）</th><td class="mono">$root</td></tr>
<tr><th>日志公钥</th><td class="mono">$vkey</td></tr>
<tr><th>见证方公钥</th><td class="mono">$witnesses</td></tr>
<tr><th>可信时间戳</th><td>$timestamp</td></tr>
<tr><th>生成时间</th><td>$generated（北京时间）</td></tr>
<tr><th>生成人</th><td>$author</td></tr>
<tr><th>检查点文件 SHA-256</th><td class="mono">$checkpoint_sha</td></tr>
</table>

<h2>证据目录（共 $count 项）</h2>
<table class="items">
<colgroup><col style="width: 6%"><col style="width: 11%"><col style="width: 13%"><col style="width: 16%"><col><col style="width: 20%"></colgroup>
<thead><tr><th>序号</th><th>日志索引</th><th>类型</th><th>时间（北京时间）</th><th>说明</th><th>附件 SHA-256（前 16 位）</th></tr></thead>
<tbody>
$rows
</tbody></table>

<h2>如何验证</h2>
$how_to
<p class="small">本清单由系统依据证据包内容自动生成，记录本身不含个人信息；涉及个人信息的内容仅在附件中，请依法妥善保管。</p>
</body></html>
""")

# Line breaks inside Chinese text would render as spaces: the section is joined into one line.
HOW_TO = "".join(
    line.strip()
    for line in """
<ol>
<li><b>可验证日志是什么。</b>清单中的每一项记录（如还款、通话、短信）在发生时即写入本机构运行的只追加日志。
该日志采用默克尔树（Merkle tree，国际标准 RFC 6962 / RFC 9162）结构：日志只保存每条记录的 SHA-256 哈希值
（相当于“数字指纹”），所有指纹逐层合并为一个“根哈希”。任何一条记录被改动、删除或插入，根哈希都会随之改变。</li>
<li><b>签名检查点是什么。</b>“检查点”是某一时刻日志的大小和根哈希，由本机构的日志私钥以 Ed25519 算法数字签名
（C2SP signed-note / tlog-checkpoint 格式，见 checkpoint.txt）。签名有效，说明该检查点确由持有私钥的本机构发布、发布后未被改动。
如有见证方（独立的其他机构）联署签名，说明见证方也核实了同一检查点与其此前所见的日志前后一致，本机构无法向不同的人出示不同版本的日志。</li>
<li><b>包含证明是什么。</b>每项记录附有一份“包含证明”（proofs 目录），由少量哈希值组成，可以计算证明该记录位于上述已签名检查点
所覆盖日志的指定位置。附件（artifacts 目录）的 SHA-256 写在记录之中，因此附件内容同样受检查点签名保护。</li>
<li><b>运行校验程序。</b>在任意电脑上安装 Python 3.11 或更高版本，执行 <code>pip install cryptography</code>，然后执行
<code>python verify.py 证据包.zip</code>（或在解压后的目录中执行 <code>python verify.py</code>）。程序逐项显示“通过 / 失败”，
全部通过时以退出码 0 结束；任何一项失败则以退出码 1 结束并指出首个失败项。校验程序随证据包提供，源代码公开、只依赖
Python 标准库和 cryptography，可由具有专门知识的人审阅。</li>
<li><b>核对公钥。</b>校验程序默认使用证据包内的 verifier-key.txt。为排除整个证据包被替换的可能，请将上表“日志公钥”与本机构在官方网站
或其他公开渠道公布的公钥逐字核对，或执行 <code>python verify.py 证据包.zip --key "机构公布的公钥"</code>：两者不一致时程序报告失败。</li>
<li><b>可信时间戳。</b>如证据包含 checkpoint.tsr，它是第三方时间戳服务机构依据 RFC 3161 对检查点正文签发的时间戳，
证明该检查点（以及它所覆盖的全部记录）不晚于时间戳所载时间即已存在。安装 <code>pip install rfc3161-client</code> 后校验程序会自动核验，
否则会提示如何用 OpenSSL 核验；时间戳服务机构的证书链见 tsa-chain.pem。</li>
<li><b>法律依据。</b>最高人民法院《人民法院在线诉讼规则》（法释〔2021〕12号）第十六条至第十九条规定了通过区块链技术存储的电子数据的审查：
经技术核验一致的，人民法院可以认定该电子数据上链后未经篡改，但有相反证据足以推翻的除外（第十六条）；当事人有合理理由质疑的，
人民法院结合存证平台是否符合规定、与当事人有无利害关系、信息系统及技术标准等进行审查（第十七条）；上述认定仅及于存储后未被篡改，
当事人对存储前数据的真实性提出异议的，需结合数据来源、生成机制、存储过程及公证、第三方见证、关联印证数据等认定（第十八条）；
当事人可以申请具有专门知识的人就相关技术问题提出意见，人民法院也可以委托鉴定或调取其他数据比对（第十九条）。
《最高人民法院关于民事诉讼证据的若干规定》第九十三条亦将电子数据的完整保存、可靠提取和有效的防错验证方法列为判断其真实性的因素。
本证据包所用的可验证日志与区块链存证同样以哈希值校验和数字签名防止篡改，并辅以见证联署和可信时间戳，供人民法院“技术核验”；
是否适用上述规则，由人民法院依法认定。</li>
</ol>
""".splitlines()
)

ROW = Template(
    '<tr><td>$n</td><td>$index</td><td>$type</td><td>$time</td><td>$title</td><td class="mono">$sha</td></tr>'
)


def _type_label(kind: object) -> str:
    name = str(kind) if kind is not None else ""
    return KINDS.get(name, (name or "—", ""))[0]


def _time_label(value: object) -> str:
    moment = parse_record_time(value)
    if moment is None:
        return str(value) if value else "—"
    return china_time(moment).strftime("%Y-%m-%d %H:%M:%S")


def index_html(data: BundleInput) -> str:
    """The index as an HTML document (what `index_pdf` renders)."""
    body = parse_checkpoint(data.checkpoint)
    rows = []
    for n, entry in enumerate(sorted(data.entries, key=lambda e: e.index), start=1):
        artifact = entry.record.get("artifact")
        sha = artifact.get("sha256") if isinstance(artifact, dict) else None
        rows.append(
            ROW.substitute(
                n=n,
                index=entry.index,
                type=escape(_type_label(entry.record.get("type"))),
                time=escape(_time_label(entry.record.get("time"))),
                title=escape(entry.title_zh),
                sha=escape(str(sha)[:16]) if sha else "—",
            )
        )
    witnesses = "<br>".join(escape(k) for k in data.witness_keys) or "无"
    timestamp = "有（checkpoint.tsr，RFC 3161）" if data.timestamp_token is not None else "无"
    return PAGE.substitute(
        fonts=FONTS,
        case=escape(data.case_label),
        creditor=escape(data.creditor_label),
        origin=escape(body.origin),
        size=body.size,
        root=body.root.hex(),
        vkey=escape(data.verifier_key.strip()),
        witnesses=witnesses,
        timestamp=timestamp,
        generated=china_time(data.generated_at).strftime("%Y-%m-%d %H:%M:%S"),
        created=escape(data.generated_at.isoformat()),
        author=escape(data.generated_by),
        checkpoint_sha=hashlib.sha256(data.checkpoint.encode("utf-8")).hexdigest(),
        count=len(rows),
        rows="\n".join(rows),
        how_to=HOW_TO,
    )


def index_pdf(data: BundleInput) -> bytes:
    """index.pdf for `data`; the same input gives the same bytes (no PDF identifier, fixed dates)."""
    from weasyprint import HTML

    pdf = HTML(string=index_html(data)).write_pdf(pdf_identifier=False)
    assert pdf is not None
    return bytes(pdf)
