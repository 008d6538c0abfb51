"""README.txt of a court bundle: Chinese, then English. Pure: no Django import."""

from __future__ import annotations

from string import Template

from qingzhai.evidence.bundle.layout import BundleInput, china_time, iso_utc, parse_checkpoint

README = Template("""清债电子证据包 — $case
======================================================================

一、这是什么
本证据包收录案件 $case（债权人：$creditor）的 $count 项电子数据记录。每项记录在发生时即写入本机构
运行的可验证日志（默克尔树，RFC 6962）。日志检查点由日志私钥签名（Ed25519，C2SP 签名注记格式），
每项记录附有证明其位于该检查点所覆盖日志中的“包含证明”，附件的 SHA-256 写在记录之中。

  日志标识：$origin
  日志大小：$size
  根哈希：  $root
  日志公钥：$vkey
  生成时间：$generated（北京时间）

二、如何校验
1. 安装 Python 3.11 或更高版本，然后执行：pip install cryptography
2. 在命令行执行：python verify.py 证据包.zip
   或在解压后的目录中执行：python verify.py
3. 程序逐项显示“通过 / 失败”。全部通过时退出码为 0；有失败项时退出码为 1，并指出首个失败项。
4. 请将上面的日志公钥与本机构公开公布的公钥逐字核对，或执行：
   python verify.py 证据包.zip --key "机构公布的公钥"
   公钥不一致时程序报告失败。
5. 如含 checkpoint.tsr（RFC 3161 可信时间戳，覆盖检查点正文，不含签名行），执行 pip install rfc3161-client
   后程序会一并核验。
6. 加 --json 参数可输出机器可读的结果。

三、文件说明
  manifest.json        清单：每个文件的 SHA-256 及每项记录的位置
  checkpoint.txt       签名检查点（含见证方联署签名）
  verifier-key.txt     日志公钥
  witness-keys.txt     见证方公钥（如有）
  entries/             日志记录原文（JSON，逐字节与日志一致）
  proofs/              每项记录的包含证明（c2sp.org/tlog-proof@v1）
  artifacts/           附件，文件名为其 SHA-256
  checkpoint.tsr       RFC 3161 时间戳（如有），tsa-chain.pem 为时间戳机构证书链
  index.pdf            电子证据清单及验证说明
  verify.py            校验程序（只依赖 Python 标准库与 cryptography）

======================================================================

Qingzhai evidence bundle — $case

What this is
This bundle holds $count electronic records of case $case (creditor: $creditor). Each record was
appended, when it happened, to the institution's verifiable log (an RFC 6962 Merkle tree). The log's
checkpoint is signed with the log key (Ed25519, C2SP signed note); each record comes with an inclusion
proof into that checkpoint, and each record names its artifact by SHA-256.

  Log origin:   $origin
  Log size:     $size
  Root hash:    $root
  Log key:      $vkey
  Generated at: $generated_utc

How to verify
1. Install Python 3.11 or later, then run: pip install cryptography
2. Run: python verify.py BUNDLE.zip   (or, in the extracted folder: python verify.py)
3. The verifier prints PASS or FAIL for each item. Exit status 0 means every check passed; 1 means a
   check failed, and the first failure is named.
4. Compare the log key above with the key the institution publishes, or pin it:
   python verify.py BUNDLE.zip --key "PUBLISHED KEY"
5. If checkpoint.tsr (an RFC 3161 timestamp over the checkpoint text, without its signature lines) is
   present, pip install rfc3161-client and the verifier checks it too.
6. --json prints a machine-readable result.
""")


def readme_text(data: BundleInput) -> str:
    body = parse_checkpoint(data.checkpoint)
    return README.substitute(
        case=data.case_label,
        creditor=data.creditor_label,
        count=len(data.entries),
        origin=body.origin,
        size=body.size,
        root=body.root.hex(),
        vkey=data.verifier_key.strip(),
        generated=china_time(data.generated_at).strftime("%Y-%m-%d %H:%M:%S"),
        generated_utc=iso_utc(data.generated_at),
    )
