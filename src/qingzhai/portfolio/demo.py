"""Demo data: three creditors with their placement batches, debtors, debts and months of collection work,
plus one demo user per role.

Everything comes from one seeded `random.Random` and is dated relative to the business date, so the same
seed gives the same data on the same day. The load is one transaction with one summarising audit event;
a loaded demo is recognised by its creditors' codes and never loaded twice.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import time
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from math import log
from typing import Any

from django.db import models, transaction

from qingzhai.accounts import services as account_services
from qingzhai.accounts.models import Team, User
from qingzhai.accounts.roles import Role
from qingzhai.core import audit, pii
from qingzhai.core.clock import business_today, business_tz
from qingzhai.core.validators import prc_id_check_digit, uscc_check_char
from qingzhai.portfolio import allocation, stages
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.buckets import bucket_for
from qingzhai.portfolio.models import (
    Activity,
    BankAccount,
    BucketHistory,
    Case,
    CaseStageChange,
    ContactPoint,
    Creditor,
    CreditorViewerGrant,
    Debt,
    Debtor,
    Guarantor,
    ImportJob,
    Instalment,
    Payment,
    Portfolio,
    PromiseToPay,
    Tag,
)
from qingzhai.portfolio.stages import Stage

DEFAULT_SEED = 20260101
BATCH = 2000


@dataclass(frozen=True)
class DemoSize:
    debtors: int
    debts: int


SIZES: dict[str, DemoSize] = {"small": DemoSize(150, 240), "full": DemoSize(5000, 8000)}
ENTERPRISE_PERCENT = 5


@dataclass(frozen=True)
class ProductSpec:
    label: str  # what Debt.product holds
    code: str  # in contract numbers
    median_yuan: int
    sigma: float
    min_yuan: int
    max_yuan: int
    terms: tuple[int, ...]  # months; empty for revolving credit
    rate_bp: tuple[int, int]  # annual rate range, hundredths of a percent
    late_fee_fen: int = 0  # per overdue instalment


CREDIT_CARD, CONSUMER_LOAN, CAR_LOAN, BUSINESS_LOAN = "信用卡", "消费贷", "车贷", "经营贷"
PRODUCTS = (CREDIT_CARD, CONSUMER_LOAN, CAR_LOAN, BUSINESS_LOAN)


@dataclass(frozen=True)
class CreditorSpec:
    code: str
    name: str
    short: str
    kind: str
    prefix: str
    debtor_percent: int
    enterprise_percent: int  # share of the demo's enterprises
    person_products: tuple[tuple[ProductSpec, int], ...]
    enterprise_product: ProductSpec | None
    allocation_order: str


def _p(label: str, code: str, *args: Any, **kw: Any) -> ProductSpec:
    return ProductSpec(label, code, *args, **kw)


DEMO_CREDITORS: tuple[CreditorSpec, ...] = (
    CreditorSpec(
        "DEMO-BANK",
        "华信银行（演示）",
        "华信银行",
        Creditor.Kind.BANK,
        "HX",
        40,
        60,
        (
            (_p(CREDIT_CARD, "CC", 18_000, 0.7, 2_000, 150_000, (), (1825, 1825)), 60),
            (_p(CONSUMER_LOAN, "CL", 60_000, 0.6, 10_000, 300_000, (12, 24, 36), (450, 1200), 2_000), 25),
            (_p(CAR_LOAN, "AL", 120_000, 0.4, 40_000, 400_000, (36, 60), (400, 700)), 15),
        ),
        _p(BUSINESS_LOAN, "BL", 600_000, 0.7, 100_000, 3_000_000, (12, 24, 36), (435, 800)),
        "fee,interest,penalty,principal",
    ),
    CreditorSpec(
        "DEMO-CFC",
        "安和消费金融（演示）",
        "安和消费金融",
        Creditor.Kind.CONSUMER_FINANCE,
        "AH",
        35,
        0,
        (
            (_p(CONSUMER_LOAN, "CL", 20_000, 0.7, 3_000, 200_000, (6, 12, 24, 36), (1200, 2390), 5_000), 85),
            (_p(CAR_LOAN, "AL", 80_000, 0.4, 30_000, 250_000, (36,), (800, 1400), 5_000), 15),
        ),
        None,
        "interest,penalty,fee,principal",
    ),
    CreditorSpec(
        "DEMO-NET",
        "易融借款平台（演示）",
        "易融借款平台",
        Creditor.Kind.PLATFORM,
        "YR",
        25,
        40,
        (
            (_p(CONSUMER_LOAN, "CL", 6_000, 0.8, 1_000, 50_000, (3, 6, 12), (1800, 2390), 3_000), 90),
            (_p(BUSINESS_LOAN, "BL", 80_000, 0.6, 20_000, 300_000, (12, 24), (1000, 1800), 3_000), 10),
        ),
        _p(BUSINESS_LOAN, "BL", 150_000, 0.7, 30_000, 1_000_000, (12, 24), (1000, 1800), 3_000),
        "fee,interest,penalty,principal",
    ),
)
DEMO_CREDITOR_CODES = tuple(spec.code for spec in DEMO_CREDITORS)
VIEWER_CREDITOR = "DEMO-BANK"
DEMO_TEAM = "演示催收一组"

# username, role, display name; collectors first so that their order is stable
DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("demo_admin", Role.ADMIN, "系统管理员"),
    ("demo_supervisor", Role.SUPERVISOR, "赵敏"),
    ("demo_collector1", Role.COLLECTOR, "李娜"),
    ("demo_collector2", Role.COLLECTOR, "王磊"),
    ("demo_collector3", Role.COLLECTOR, "陈静"),
    ("demo_legal", Role.LEGAL, "周婷"),
    ("demo_compliance", Role.COMPLIANCE, "孙立"),
    ("demo_auditor", Role.AUDITOR, "吴凡"),
    ("demo_client", Role.CREDITOR_VIEWER, "华信银行对接人"),
)

# --- reference lists -----------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SURNAMES = (
    "王71 李70 张67 刘54 陈45 杨31 黄22 赵20 吴20 周19 徐13 孙13 马11 朱11 胡10 郭10 何9 林9 高9 罗8 "
    "郑8 梁7 谢6 宋5 唐5 许5 韩5 冯5 邓5 曹5 彭4 曾4 肖4 田4 董4 袁4 潘3 于3 蒋3 蔡3 余3 杜3 叶3 程3 "
    "苏3 魏3 吕3 丁3 任3 沈3 姚2 卢2 姜2 崔2 钟2 谭2 陆2 汪2 范2 金2 石2 廖2 贾2 夏2 韦2 方2 白2 邹2 "
    "孟2 熊2 秦2 邱2 江2 尹2 薛1 段1 雷1 侯1 龙1 史1 陶1 黎1 贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 "
    "戴1 莫1 孔1 欧阳1"
)
_SURNAME_PAIRS = [re.fullmatch(r"(\D+)(\d+)", item).groups() for item in _SURNAMES.split()]  # type: ignore[union-attr]
SURNAMES = tuple(name for name, _ in _SURNAME_PAIRS)
SURNAME_WEIGHTS = tuple(int(weight) for _, weight in _SURNAME_PAIRS)
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳东文博志建国海峰亮成晨轩睿泽航天昊然"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀燕玲桂丹萍红梅莉婷雪琳慧颖倩洁晶欣怡佳悦瑶思雨萱涵琪诗梦璐露月佩茜蓉馨妍妮"

# region code, province, city, district, weight (municipalities repeat the city as province)
REGIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("110105", "北京市", "北京市", "朝阳区", 5),
    ("110108", "北京市", "北京市", "海淀区", 4),
    ("120101", "天津市", "天津市", "和平区", 3),
    ("310115", "上海市", "上海市", "浦东新区", 5),
    ("310104", "上海市", "上海市", "徐汇区", 3),
    ("500103", "重庆市", "重庆市", "渝中区", 4),
    ("440106", "广东省", "广州市", "天河区", 6),
    ("440305", "广东省", "深圳市", "南山区", 6),
    ("440304", "广东省", "深圳市", "福田区", 4),
    ("330106", "浙江省", "杭州市", "西湖区", 4),
    ("330108", "浙江省", "杭州市", "滨江区", 3),
    ("320106", "江苏省", "南京市", "鼓楼区", 4),
    ("320508", "江苏省", "苏州市", "姑苏区", 4),
    ("510107", "四川省", "成都市", "武侯区", 5),
    ("420106", "湖北省", "武汉市", "武昌区", 4),
    ("430104", "湖南省", "长沙市", "岳麓区", 4),
    ("610113", "陕西省", "西安市", "雁塔区", 4),
    ("370102", "山东省", "济南市", "历下区", 3),
    ("370212", "山东省", "青岛市", "崂山区", 3),
    ("410105", "河南省", "郑州市", "金水区", 5),
    ("350203", "福建省", "厦门市", "思明区", 3),
    ("350102", "福建省", "福州市", "鼓楼区", 3),
    ("340104", "安徽省", "合肥市", "蜀山区", 4),
    ("210102", "辽宁省", "沈阳市", "和平区", 3),
    ("230103", "黑龙江省", "哈尔滨市", "南岗区", 3),
    ("530102", "云南省", "昆明市", "五华区", 3),
    ("450103", "广西壮族自治区", "南宁市", "青秀区", 3),
    ("360102", "江西省", "南昌市", "东湖区", 3),
    ("130102", "河北省", "石家庄市", "长安区", 4),
    ("520102", "贵州省", "贵阳市", "南明区", 3),
)
STREETS = _words(
    "建设路 人民路 解放路 中山路 和平路 新华路 文化路 胜利路 幸福路 东风路 长江路 黄河路 学府路 科技路 "
    "朝阳路 青年路 滨江路 花园路 工业路 光明路 友谊路 团结路 迎宾大道 金融街 创业大道 世纪大道 体育路"
)
COMMUNITIES = _words(
    "阳光花园 锦绣华庭 幸福家园 翠苑小区 金色家园 华府名邸 书香门第 丽景湾 御景园 和谐家园 紫荆苑 桂花园 "
    "泰和苑 世纪新城 城市花园 春晓苑 绿洲小区 锦江苑 康乐新村 东湖小区 南苑新村 香樟园"
)
TOWERS = _words("国贸 环球 中信 财富 时代 汇金 金融 科技 创新 万象 海岸 星光")
BRANDS = _words(
    "鑫达 恒通 华茂 盛源 金泰 宏远 博瑞 正邦 瑞丰 永康 德润 天祥 中和 新锐 佳禾 富川 合力 启航 "
    "润泽 弘毅 嘉禾 信诚 东升 隆昌 立信 同舟 汇通 远航 明德 兴旺"
)
INDUSTRIES = _words(
    "贸易 建材 物流 餐饮管理 电子科技 服装 建筑工程 农业发展 网络科技 机械设备 食品 装饰工程 家具制造 "
    "汽车服务 文化传媒 医疗器械"
)
BANKS = _words(
    "中国工商银行 中国建设银行 中国农业银行 中国银行 招商银行 交通银行 中国邮政储蓄银行 平安银行 兴业银行 中信银行"
)
MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 166 173 175 "
    "176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
)
RELATIONS = (("配偶", 30), ("父亲", 15), ("母亲", 20), ("兄弟", 10), ("姐妹", 10), ("朋友", 10), ("同事", 5))
SAME_SURNAME = {"父亲", "兄弟", "姐妹"}
MALE_RELATIONS = {"父亲", "兄弟"}
FEMALE_RELATIONS = {"母亲", "姐妹"}

# bucket -> (lowest, highest) days past due for debts placed with the agency
BUCKET_DPD = {
    "M1": (15, 30),
    "M2": (31, 60),
    "M3": (61, 90),
    "M4": (91, 120),
    "M5": (121, 150),
    "M6": (151, 180),
    "M6+": (181, 1400),
}
BUCKET_WEIGHTS = (("M1", 14), ("M2", 13), ("M3", 13), ("M4", 11), ("M5", 10), ("M6", 9), ("M6+", 30))
PROFILES = (("cooperative", 48), ("hard", 34), ("lost", 15), ("disputing", 3))
OUTCOMES: dict[str, tuple[tuple[str, int], ...]] = {
    "cooperative": (
        ("no_answer", 25),
        ("connected", 30),
        ("promise", 25),
        ("left_message", 8),
        ("refused", 5),
        ("dispute", 2),
        ("paid", 5),
    ),
    "hard": (
        ("no_answer", 45),
        ("connected", 15),
        ("promise", 8),
        ("left_message", 15),
        ("refused", 15),
        ("dispute", 2),
    ),
    "lost": (("no_answer", 60), ("wrong_number", 15), ("left_message", 15), ("refused", 5), ("connected", 5)),
    "disputing": (("no_answer", 30), ("connected", 20), ("dispute", 40), ("refused", 10)),
}
CALL_SECONDS = {
    "no_answer": (0, 0),
    "left_message": (15, 40),
    "refused": (10, 90),
    "wrong_number": (10, 30),
    "connected": (60, 600),
    "promise": (120, 900),
    "dispute": (120, 600),
    "paid": (60, 300),
}
TAG_HIGH, TAG_LOST, TAG_DISPUTE, TAG_HARDSHIP = "高额", "失联", "争议", "困难"
DEMO_TAGS = (TAG_HIGH, TAG_LOST, TAG_DISPUTE, TAG_HARDSHIP)
CALL_NOTES = {
    "no_answer": ("无人接听",),
    "connected": (
        "已接通，核实身份后告知欠款金额及还款方式",
        "已接通，债务人表示近期资金紧张，会尽快筹款",
        "已接通，债务人称需与家人商量后回复",
    ),
    "refused": ("接通后对方拒绝沟通并挂断",),
    "wrong_number": ("对方称不认识债务人，号码错误",),
    "left_message": ("转入语音信箱，已留言请回电",),
    "dispute": ("债务人对利息和违约金金额有异议，要求提供还款明细", "债务人称部分款项已还，要求核账"),
}
NOTES = (
    "核实债务人工作单位信息",
    "债务人申请减免罚息，已提交委托方审批",
    "户籍地址核实有效",
    "整理案件材料备查",
    "查询还款账户流水，未见新增还款",
)
LEGAL_NOTES = ("已整理诉讼材料并提交法院", "法院已受理，等待开庭通知", "已收到判决书，等待生效")
ENFORCEMENT_NOTES = ("已向法院申请强制执行", "法院已冻结被执行人银行账户")
METHODS = (("bank_transfer", 45), ("alipay", 25), ("wechat", 25), ("other", 5))


class Weighted:
    """A fixed weighted choice, fast for many draws from one random generator."""

    def __init__(self, pairs: Iterable[tuple[Any, int]]) -> None:
        items = list(pairs)
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.cum[-1])]


_surname = Weighted(zip(SURNAMES, SURNAME_WEIGHTS, strict=True))
_region = Weighted((r, r[4]) for r in REGIONS)
_bucket = Weighted(BUCKET_WEIGHTS)
_profile = Weighted(PROFILES)
_outcomes = {name: Weighted(pairs) for name, pairs in OUTCOMES.items()}
_relation = Weighted(RELATIONS)
_method = Weighted(METHODS)


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later (days past the 28th move to the 28th)."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def annuity_schedule(principal_fen: int, rate_bp: int, months: int) -> list[tuple[int, int]]:
    """(principal part, interest part) of each equal monthly instalment, in fen."""
    rate = Decimal(rate_bp) / Decimal(120_000)
    if rate == 0:
        payment = Decimal(principal_fen) / months
    else:
        payment = Decimal(principal_fen) * rate / (1 - (1 + rate) ** -months)
    payment_fen = int(payment.quantize(Decimal(1)))
    balance, rows = principal_fen, []
    for seq in range(1, months + 1):
        interest = int((balance * rate).quantize(Decimal(1)))
        part = balance if seq == months else min(balance, payment_fen - interest)
        rows.append((part, interest))
        balance -= part
    return rows


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def org_code_check(body8: str) -> str:
    """Check character of an organisation code (GB 11714), digits-only body."""
    total = sum(int(c) * w for c, w in zip(body8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


# --- what a load reports ---------------------------------------------------------------------------


@dataclass
class DemoUser:
    username: str
    role: str
    password: str | None  # only when created by this run
    created: bool


@dataclass
class DemoResult:
    already_loaded: bool
    reset: bool
    seed: int
    size: str
    business_date: date
    counts: dict[str, int] = field(default_factory=dict)
    users: list[DemoUser] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passwords_shown(self) -> bool:
        """True when this run created users and holds their passwords (shown once, never stored)."""
        return any(u.password for u in self.users)


@dataclass
class _Staff:
    collectors: list[User]
    legal: User
    supervisor: User
    team: Team


# --- the generator ---------------------------------------------------------------------------------


@dataclass
class _DebtState:
    debt: Debt
    order: tuple[str, ...]

    @property
    def balance(self) -> int:
        return self.debt.balance_fen


class _Generator:
    """Builds unsaved model instances; `insert()` writes them with bulk_create."""

    def __init__(self, *, seed: int, size: DemoSize, today: date, staff: _Staff) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.today = today
        self.staff = staff
        self.tz = business_tz()
        self.pii_seconds = 0.0
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.company_names: set[str] = set()
        self.contract_seq: dict[str, int] = {}
        self.creditors: list[Creditor] = []
        self.portfolios: list[Portfolio] = []
        self.debtors: list[Debtor] = []
        self.contact_points: list[ContactPoint] = []
        self.bank_accounts: list[BankAccount] = []
        self.cases: list[Case] = []
        self.debts: list[Debt] = []
        self.instalments: list[Instalment] = []
        self.history: dict[int, list[BucketHistory]] = {}  # id(debt) -> its bucket history
        self.guarantors: list[Guarantor] = []
        self.payments: list[Payment] = []
        self.reversals: list[Payment] = []
        self.promises: list[PromiseToPay] = []
        self.activities: list[Activity] = []
        self.stage_changes: list[CaseStageChange] = []
        self.case_tags: list[tuple[Case, str]] = []

    # -- small helpers --

    def _set_pii(self, obj: Any, attr: str, value: str) -> None:
        started = time.perf_counter()
        pii.set_value(obj, attr, value)
        self.pii_seconds += time.perf_counter() - started

    def _at(self, day: date, hour: int | None = None, minute: int | None = None) -> datetime:
        rng = self.rng
        return datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(9, 19) if hour is None else hour,
            rng.randint(0, 59) if minute is None else minute,
            tzinfo=self.tz,
        )

    def _person_name(self, male: bool, surname: str | None = None) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = self.rng.choice(chars)
        if self.rng.random() < 0.85:
            given += self.rng.choice(chars)
        return (surname or _surname(self.rng)) + given

    def _mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def _prc_id(self, region: tuple[str, ...], born: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{region[0]}{born:%Y%m%d}{seq:03d}"
            number = first17 + prc_id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _uscc(self, region: tuple[str, ...]) -> str:
        while True:
            body = f"{self.rng.randrange(10**8):08d}"
            first17 = f"91{region[0]}{body}{org_code_check(body)}"
            number = first17 + uscc_check_char(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _place(self, region: tuple[str, ...]) -> str:
        _, province, city, district, _ = region
        return (city if province == city else province + city) + district

    def _home_address(self, region: tuple[str, ...]) -> str:
        rng = self.rng
        return (
            f"{self._place(region)}{rng.choice(STREETS)}{rng.randint(1, 399)}号{rng.choice(COMMUNITIES)}"
            f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 32)}{rng.randint(1, 6):02d}室"
        )

    def _office_address(self, region: tuple[str, ...]) -> str:
        rng = self.rng
        return (
            f"{self._place(region)}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
            f"{rng.choice(TOWERS)}大厦{rng.randint(2, 40)}层"
        )

    def _company(self, region: tuple[str, ...]) -> str:
        city = region[2]
        while True:
            name = f"{city}{self.rng.choice(BRANDS)}{self.rng.choice(INDUSTRIES)}有限公司"
            if name not in self.company_names:
                self.company_names.add(name)
                return name

    # -- reference data --

    def build_creditors(self) -> None:
        rng, today = self.rng, self.today
        for spec in DEMO_CREDITORS:
            creditor = Creditor(name=spec.name, code=spec.code, kind=spec.kind)
            self.creditors.append(creditor)
            ages = (rng.randint(250, 300), rng.randint(100, 130), rng.randint(40, 55), rng.randint(8, 12))
            for batch, age in enumerate(ages, start=1):
                placed = today - timedelta(days=age)
                self.portfolios.append(
                    Portfolio(
                        creditor=creditor,
                        code=f"{spec.prefix}{placed:%Y%m}-{batch:02d}",
                        name=f"{spec.short}{placed:%Y年%m月}委案批次",
                        placement_date=placed,
                        recall_date=placed + timedelta(days=365 if batch == 1 else 180),
                    )
                )

    # -- debtors --

    def _person(self, creditor: Creditor) -> tuple[Debtor, list[ContactPoint], dict[str, Any]]:
        rng, today = self.rng, self.today
        male = rng.random() < 0.58
        birth_region = _region(rng)
        age = rng.randint(22, 62)
        born = date(today.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        name = self._person_name(male)
        debtor = Debtor(creditor=creditor, kind=Debtor.Kind.PERSON, name=name)
        self._set_pii(debtor, "id_number", self._prc_id(birth_region, born, male))
        live = birth_region if rng.random() < 0.65 else _region(rng)
        self._set_pii(debtor, "home_address", self._home_address(live))
        if rng.random() < 0.72:
            debtor.employer = self._company(live)
            self._set_pii(debtor, "work_address", self._office_address(live))
        own = ContactPoint(debtor=debtor, party=ContactPoint.Party.DEBTOR, name=name, relation="本人")
        own.is_primary, own.consent = True, True
        self._set_pii(own, "value", self._mobile())
        points = [own]
        if rng.random() < 0.3:
            second = ContactPoint(debtor=debtor, party=ContactPoint.Party.DEBTOR, name=name, relation="本人")
            second.consent = True
            self._set_pii(second, "value", self._mobile())
            points.append(second)
        surname = name[:2] if name[:2] in SURNAMES else name[0]
        spouse = None
        for _ in range(1 if rng.random() < 0.55 else 2):
            relation = _relation(rng)
            if relation == "配偶":
                contact_male = not male
            elif relation in MALE_RELATIONS:
                contact_male = True
            elif relation in FEMALE_RELATIONS:
                contact_male = False
            else:
                contact_male = rng.random() < 0.5
            contact_name = self._person_name(contact_male, surname if relation in SAME_SURNAME else None)
            point = ContactPoint(
                debtor=debtor, party=ContactPoint.Party.EMERGENCY, name=contact_name, relation=relation
            )
            point.consent = rng.random() < 0.65
            phone = self._mobile()
            self._set_pii(point, "value", phone)
            points.append(point)
            if relation == "配偶":
                spouse = {
                    "name": contact_name,
                    "male": contact_male,
                    "phone": phone,
                    "consent": point.consent,
                }
        if rng.random() < 0.5:
            account = BankAccount(debtor=debtor, bank_name=rng.choice(BANKS))
            body = "62" + "".join(str(rng.randrange(10)) for _ in range(16))
            self._set_pii(account, "account", body + luhn_digit(body))
            self.bank_accounts.append(account)
        return debtor, points, {"spouse": spouse}

    def _enterprise(self, creditor: Creditor) -> tuple[Debtor, list[ContactPoint], dict[str, Any]]:
        rng, today = self.rng, self.today
        region = _region(rng)
        debtor = Debtor(creditor=creditor, kind=Debtor.Kind.ENTERPRISE, name=self._company(region))
        self._set_pii(debtor, "id_number", self._uscc(region))
        self._set_pii(debtor, "home_address", self._office_address(region))
        self._set_pii(debtor, "work_address", self._office_address(region))
        rep_male = rng.random() < 0.75
        rep_name = self._person_name(rep_male)
        born = date(today.year - rng.randint(30, 60), 1, 1) + timedelta(days=rng.randrange(365))
        rep_phone = self._mobile()
        rep = ContactPoint(
            debtor=debtor, party=ContactPoint.Party.DEBTOR, name=rep_name, relation="法定代表人"
        )
        rep.is_primary, rep.consent = True, True
        self._set_pii(rep, "value", rep_phone)
        points = [rep]
        if rng.random() < 0.6:
            finance = ContactPoint(
                debtor=debtor,
                party=ContactPoint.Party.DEBTOR,
                name=self._person_name(rng.random() < 0.3),
                relation="财务负责人",
            )
            finance.consent = True
            self._set_pii(finance, "value", self._mobile())
            points.append(finance)
        representative = (rep_name, self._prc_id(region, born, rep_male), rep_phone)
        return debtor, points, {"representative": representative}

    # -- debts --

    def _contract_no(self, spec: CreditorSpec, product: ProductSpec, signed: date) -> str:
        key = spec.prefix + product.code
        self.contract_seq[key] = self.contract_seq.get(key, 0) + 1
        return f"{key}{signed:%Y%m}{self.contract_seq[key]:06d}"

    def _principal(self, product: ProductSpec) -> int:
        yuan = self.rng.lognormvariate(log(product.median_yuan), product.sigma)
        yuan = min(max(int(yuan), product.min_yuan), product.max_yuan)
        if product.terms:
            return (yuan // 100) * 100 * 100  # loans are granted in hundreds of yuan
        return yuan * 100 + self.rng.randrange(100)

    def _debt(self, spec: CreditorSpec, product: ProductSpec, case: Case, dpd: int) -> Debt:
        rng, today = self.rng, self.today
        principal0 = self._principal(product)
        rate_bp = rng.randint(*product.rate_bp)
        target = today - timedelta(days=dpd)
        debt = Debt(
            creditor=case.portfolio.creditor,
            case=case,
            product=product.label,
            original_principal_fen=principal0,
            annual_rate=(Decimal(rate_bp) / 100).quantize(Decimal("0.0001")),
            allocation_order=spec.allocation_order,
        )
        instalments: list[Instalment] = []
        if product.terms:
            months = rng.choice(product.terms)
            paid = rng.randint(0, max(0, months * 2 // 3))
            signed = add_months(target, -(paid + 1))
            overdue_since = add_months(signed, paid + 1)
            schedule = annuity_schedule(principal0, rate_bp, months)
            outstanding = principal0 - sum(part for part, _ in schedule[:paid])
            overdue_principal = interest = overdue_count = 0
            for seq, (part, rate_part) in enumerate(schedule, start=1):
                due = add_months(signed, seq)
                amount = part + rate_part
                instalments.append(
                    Instalment(
                        debt=debt,
                        seq=seq,
                        due_date=due,
                        amount_fen=amount,
                        paid_fen=amount if seq <= paid else 0,
                    )
                )
                if seq > paid and due < today:
                    overdue_principal += part
                    interest += rate_part
                    overdue_count += 1
            dpd = (today - overdue_since).days
            base = outstanding if dpd > 90 else overdue_principal
            debt.principal_fen = outstanding
            debt.interest_fen = interest
            debt.penalty_fen = base * rate_bp * 15 * dpd // (10 * 10_000 * 365)
            debt.fee_fen = product.late_fee_fen * min(overdue_count, 12)
            debt.due_date = add_months(signed, months)
        else:
            signed = target - timedelta(days=rng.randint(400, 3000))
            overdue_since = target
            debt.principal_fen = principal0
            debt.interest_fen = min(principal0 * 5 * dpd // 10_000, principal0 * 60 // 100)
            debt.penalty_fen = principal0 * 5 * min(dpd // 30 + 1, 24) // 1000
            debt.fee_fen = 20_000 * (dpd // 365) if rng.random() < 0.7 else 0
            debt.due_date = overdue_since
        debt.contract_no = self._contract_no(spec, product, signed)
        debt.contract_date = signed
        debt.overdue_since = overdue_since
        debt.dpd, debt.dpd_as_of, debt.bucket = dpd, today, bucket_for(dpd)
        self.instalments.extend(instalments)
        self.history[id(debt)] = [
            BucketHistory(
                debt=debt, as_of=overdue_since + timedelta(days=start), dpd=start, bucket=bucket_for(start)
            )
            for start in (1, 31, 61, 91, 121, 151, 181)
            if start <= dpd
        ]
        return debt

    def _guarantor(self, debt: Debt, name: str, id_number: str, phone: str, allowed: bool) -> None:
        guarantor = Guarantor(debt=debt, name=name, contact_allowed=allowed)
        self._set_pii(guarantor, "id_number", id_number)
        self._set_pii(guarantor, "phone", phone)
        self.guarantors.append(guarantor)

    def _guarantors_for(self, debt: Debt, kind: str, extra: dict[str, Any]) -> None:
        rng = self.rng
        if kind == Debtor.Kind.ENTERPRISE:
            name, id_number, phone = extra["representative"]
            self._guarantor(debt, name, id_number, phone, True)
            return
        spouse = extra.get("spouse")
        wants = {BUSINESS_LOAN: 0.5, CAR_LOAN: 0.15}.get(debt.product, 0.0)
        if spouse and rng.random() < wants:
            if "id_number" not in spouse:
                born = date(self.today.year - rng.randint(24, 60), 1, 1) + timedelta(days=rng.randrange(365))
                spouse["id_number"] = self._prc_id(_region(rng), born, spouse["male"])
            self._guarantor(debt, spouse["name"], spouse["id_number"], spouse["phone"], spouse["consent"])

    # -- the whole portfolio --

    def build(self) -> None:
        rng = self.rng
        self.build_creditors()
        size = self.size
        enterprises = size.debtors * ENTERPRISE_PERCENT // 100
        per_creditor: list[int] = []
        ent_per_creditor: list[int] = []
        for i, spec in enumerate(DEMO_CREDITORS):
            last = i == len(DEMO_CREDITORS) - 1
            per_creditor.append(
                size.debtors - sum(per_creditor) if last else size.debtors * spec.debtor_percent // 100
            )
            ent_per_creditor.append(
                enterprises - sum(ent_per_creditor) if last else enterprises * spec.enterprise_percent // 100
            )
        debt_counts = [1] * size.debtors
        extra = size.debts - size.debtors
        while extra > 0:
            i = rng.randrange(size.debtors)
            if debt_counts[i] < 4:
                debt_counts[i] += 1
                extra -= 1
        index = 0
        for c_index, spec in enumerate(DEMO_CREDITORS):
            creditor = self.creditors[c_index]
            portfolios = [p for p in self.portfolios if p.creditor is creditor]
            kinds = [Debtor.Kind.ENTERPRISE] * ent_per_creditor[c_index]
            kinds += [Debtor.Kind.PERSON] * (per_creditor[c_index] - len(kinds))
            rng.shuffle(kinds)
            person_product = Weighted(spec.person_products)
            for kind in kinds:
                if kind == Debtor.Kind.ENTERPRISE:
                    debtor, points, extra_info = self._enterprise(creditor)
                else:
                    debtor, points, extra_info = self._person(creditor)
                self.debtors.append(debtor)
                self.contact_points.extend(points)
                if index < len(BUCKET_WEIGHTS):  # the first cases cover every bucket, whatever the seed
                    low, high = BUCKET_DPD[BUCKET_WEIGHTS[index][0]]
                    anchor = (low + min(high, 360)) // 2
                else:
                    low, high = BUCKET_DPD[_bucket(rng)]
                    anchor = (
                        rng.randint(low, high)
                        if high < 400
                        else min(low + int(rng.expovariate(1 / 220)), high)
                    )
                eligible = [p for p in portfolios if (self.today - p.placement_date).days < anchor - 2]
                portfolio = rng.choices(eligible, weights=[3.0, 2.0, 1.5, 1.0][-len(eligible) :])[0]
                case = Case(portfolio=portfolio, debtor=debtor)
                debts = []
                for n in range(debt_counts[index]):
                    if kind == Debtor.Kind.ENTERPRISE and spec.enterprise_product is not None:
                        product = spec.enterprise_product
                    else:
                        product = person_product(rng)
                    age = (self.today - portfolio.placement_date).days
                    dpd = anchor if n == 0 else max(age + 3, anchor - rng.randint(0, 40))
                    debt = self._debt(spec, product, case, dpd)
                    self._guarantors_for(debt, kind, extra_info)
                    debts.append(debt)
                self.debts.extend(debts)
                self.cases.append(case)
                self._work_case(case, debts, points, spec, newest=portfolio is portfolios[-1])
                index += 1

    # -- a case's history since placement --

    def _work_case(
        self, case: Case, debts: list[Debt], points: list[ContactPoint], spec: CreditorSpec, newest: bool
    ) -> None:
        rng, today, staff = self.rng, self.today, self.staff
        placed = case.portfolio.placement_date
        states = [_DebtState(d, allocation.parse_order(d.allocation_order)) for d in debts]
        profile = _profile(rng)
        collector = None if newest and rng.random() < 0.25 else rng.choice(staff.collectors)
        case.assigned_to = collector
        case.team = staff.team if collector else None
        case.stage = Stage.NEW.value
        ctx = _CaseWork(self, case, states, collector, profile)
        debtor_phones = [p for p in points if p.party == ContactPoint.Party.DEBTOR]
        emergency = [p for p in points if p.party == ContactPoint.Party.EMERGENCY and p.consent]
        days_active = (today - placed).days - 1
        sms_day = placed + timedelta(days=1)
        if sms_day < today:
            ctx.activity(
                sms_day,
                Activity.Kind.SMS,
                Activity.Outcome.DELIVERED,
                note=f"【{spec.short}】委案通知短信已送达",
                contact_point=debtor_phones[0],
                actor=None,
                hour=10,
            )
        if collector is None or days_active < 2:
            self._finish_case(ctx, profile)
            return
        gap = rng.randint(4, 12)
        attempts = min(40, days_active // gap)
        days = sorted(rng.sample(range(2, days_active + 1), attempts)) if attempts else []
        legal_at = None
        big = _balance(states) >= 3_000_000
        if profile in ("hard", "lost") and big and max(d.dpd for d in debts) >= 240 and rng.random() < 0.35:
            legal_at = days[len(days) // 2] if days else None
        for offset in days:
            day = placed + timedelta(days=offset)
            if ctx.closed or day >= today:
                break
            if ctx.busy_until and day <= ctx.busy_until:
                continue
            if (
                legal_at is not None
                and offset >= legal_at
                and case.stage not in (Stage.LEGAL, Stage.ENFORCEMENT)
            ):
                ctx.move(day, Stage.LEGAL, "提起诉讼 legal action", staff.legal)
                case.assigned_to, case.team = staff.legal, None
                ctx.actor = staff.legal
            if case.stage in (Stage.LEGAL, Stage.ENFORCEMENT):
                ctx.legal_step(day)
                continue
            roll = rng.random()
            if roll < 0.62:
                ctx.call(day, debtor_phones, emergency)
            elif roll < 0.88:
                ctx.activity(
                    day,
                    Activity.Kind.SMS,
                    Activity.Outcome.DELIVERED,
                    note=f"【{spec.short}】您的{debts[0].product}账户已逾期，请尽快处理。",
                    contact_point=debtor_phones[0],
                )
            else:
                ctx.activity(
                    day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=rng.choice(NOTES), party="none"
                )
        self._finish_case(ctx, profile)

    def _finish_case(self, ctx: _CaseWork, profile: str) -> None:
        rng, today, case = self.rng, self.today, ctx.case
        if ctx.closed:
            case.next_action_date = None
        elif ctx.open_promise is not None:
            case.next_action_date = ctx.open_promise.due_date
        elif ctx.last_broken:
            case.next_action_date = today
        elif case.stage in (Stage.LEGAL, Stage.ENFORCEMENT):
            case.next_action_date = today + timedelta(days=rng.randint(7, 30))
        elif case.assigned_to is None:
            case.next_action_date = today
        else:
            case.next_action_date = today + timedelta(days=rng.randint(-2, 14))
        debts = [s.debt for s in ctx.states]
        case.total_balance_fen = sum(d.balance_fen for d in debts)
        case.max_dpd = max(d.dpd for d in debts)
        case.bucket = bucket_for(case.max_dpd)
        if case.total_balance_fen >= 20_000_000:
            self.case_tags.append((case, TAG_HIGH))
        if ctx.lost_contact or (profile == "lost" and rng.random() < 0.5):
            self.case_tags.append((case, TAG_LOST))
        if ctx.disputed:
            self.case_tags.append((case, TAG_DISPUTE))
        if profile == "cooperative" and rng.random() < 0.06:
            self.case_tags.append((case, TAG_HARDSHIP))

    # -- writing --

    def insert(self) -> dict[str, int]:
        def create(model: type[models.Model], objs: Sequence[models.Model]) -> None:
            model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]

        create(Creditor, self.creditors)
        create(Portfolio, self.portfolios)
        create(Debtor, self.debtors)
        create(ContactPoint, self.contact_points)
        create(BankAccount, self.bank_accounts)
        create(Case, self.cases)
        create(Debt, self.debts)
        create(Instalment, self.instalments)
        history = [row for debt in self.debts for row in self.history[id(debt)]]
        create(BucketHistory, history)
        create(Guarantor, self.guarantors)
        create(Payment, self.payments)
        create(Payment, self.reversals)
        create(PromiseToPay, self.promises)
        create(Activity, self.activities)
        create(CaseStageChange, self.stage_changes)
        tags = {}
        for name in DEMO_TAGS:
            tags[name], _ = Tag.objects.get_or_create(name=name)
        through = Case.tags.through
        create(through, [through(case_id=c.pk, tag_id=tags[name].pk) for c, name in self.case_tags])
        return {
            "creditors": len(self.creditors),
            "portfolios": len(self.portfolios),
            "debtors": len(self.debtors),
            "enterprises": sum(1 for d in self.debtors if d.kind == Debtor.Kind.ENTERPRISE),
            "contact_points": len(self.contact_points),
            "bank_accounts": len(self.bank_accounts),
            "cases": len(self.cases),
            "debts": len(self.debts),
            "instalments": len(self.instalments),
            "bucket_history": len(history),
            "guarantors": len(self.guarantors),
            "payments": len(self.payments) + len(self.reversals),
            "reversals": len(self.reversals),
            "promises": len(self.promises),
            "activities": len(self.activities),
            "stage_changes": len(self.stage_changes),
            "case_tags": len(self.case_tags),
        }


def _balance(states: Sequence[_DebtState]) -> int:
    return sum(s.balance for s in states)


_CASE_ACTOR = object()  # "whoever works the case" in _CaseWork.activity


class _CaseWork:
    """One case's collection history, simulated day by day: calls, promises, payments, stage moves."""

    def __init__(
        self, gen: _Generator, case: Case, states: list[_DebtState], actor: User | None, profile: str
    ) -> None:
        self.gen, self.rng, self.case, self.states = gen, gen.rng, case, states
        self.actor, self.profile = actor, profile
        self.closed = False
        self.disputed = False
        self.lost_contact = False
        self.last_broken = False
        self.open_promise: PromiseToPay | None = None
        self.busy_until: date | None = None
        self.last_change: datetime | None = None

    def activity(
        self,
        day: date,
        kind: str,
        outcome: str,
        *,
        note: str = "",
        party: str = Activity.Party.DEBTOR,
        contact_point: ContactPoint | None = None,
        actor: Any = _CASE_ACTOR,
        duration: int = 0,
        hour: int | None = None,
    ) -> datetime:
        moment = self.gen._at(day, hour)
        self.gen.activities.append(
            Activity(
                case=self.case,
                kind=kind,
                party=party,
                contact_point=contact_point,
                outcome=outcome,
                occurred_at=moment,
                duration_seconds=duration,
                note=note,
                actor=self.actor if actor is _CASE_ACTOR else actor,
                created_at=moment + timedelta(minutes=1),
            )
        )
        return moment

    def move(self, day: date, to: Stage, reason: str, actor: Any) -> None:
        target = stages.check_transition(self.case.stage, to.value)
        moment = self.gen._at(day, 20, self.rng.randint(0, 59))
        if self.last_change is not None and moment <= self.last_change:
            moment = self.last_change + timedelta(minutes=1)
        self.gen.stage_changes.append(
            CaseStageChange(
                case=self.case,
                from_stage=self.case.stage,
                to_stage=target.value,
                business_date=day,
                reason=reason,
                actor=actor,
                created_at=moment,
            )
        )
        self.case.stage, self.case.stage_changed_at = target.value, moment
        self.last_change = moment

    def call(self, day: date, phones: list[ContactPoint], emergency: list[ContactPoint]) -> None:
        rng = self.rng
        usable = [p for p in phones if p.status == ContactPoint.Status.VALID]
        if not usable and not emergency:
            self.lost_contact = True
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note="债务人失联，需信息修复", party="none"
            )
            return
        if emergency and (not usable or rng.random() < 0.12):
            point = rng.choice(emergency)
            outcome = rng.choice(("connected", "no_answer", "no_answer", "refused"))
            note = (
                f"联系紧急联系人（{point.relation}），请其转告债务人回电，未透露欠款信息"
                if outcome == "connected"
                else CALL_NOTES[outcome][0]
            )
            duration = rng.randint(40, 180) if outcome == "connected" else 0
            self.activity(
                day,
                Activity.Kind.CALL,
                outcome,
                note=note,
                party="emergency",
                contact_point=point,
                duration=duration,
            )
            return
        point = usable[0] if rng.random() < 0.8 else rng.choice(usable)
        outcome = _outcomes[self.profile](rng)
        if outcome == "paid" and _balance(self.states) == 0:
            outcome = "connected"
        duration = rng.randint(*CALL_SECONDS[outcome])
        if outcome == "promise":
            self.promise(day, point, duration)
            return
        if outcome == "paid":
            self.spontaneous_payment(day, point, duration)
            return
        note = rng.choice(CALL_NOTES[outcome])
        self.activity(day, Activity.Kind.CALL, outcome, note=note, contact_point=point, duration=duration)
        if outcome == "wrong_number":
            point.status = ContactPoint.Status.WRONG_NUMBER
        if outcome == "dispute":
            self.disputed = True
        if outcome in ("connected", "dispute"):
            self.first_contact(day)

    def first_contact(self, day: date) -> None:
        if self.case.stage == Stage.NEW:
            self.move(day, Stage.CONTACT, "首次联系 first contact", self.actor)

    def pay(self, day: date, amount: int, *, method: str | None = None, note: str = "") -> list[Payment]:
        """Apply `amount` fen across the open debts, highest days past due first."""
        rng, gen = self.rng, self.gen
        method = method or _method(rng)
        remaining, made = amount, []
        for state in sorted(self.states, key=lambda s: (-s.debt.dpd, s.debt.contract_no)):
            debt = state.debt
            if remaining <= 0:
                break
            if debt.balance_fen == 0:
                continue
            part = min(remaining, debt.balance_fen)
            balances = {
                "fee": debt.fee_fen,
                "interest": debt.interest_fen,
                "penalty": debt.penalty_fen,
                "principal": debt.principal_fen,
            }
            alloc = allocation.allocate(part, balances, state.order)
            debt.fee_fen -= alloc.parts["fee"]
            debt.interest_fen -= alloc.parts["interest"]
            debt.penalty_fen -= alloc.parts["penalty"]
            debt.principal_fen -= alloc.parts["principal"]
            remaining -= part
            payment = Payment(
                debt=debt,
                case=self.case,
                amount_fen=part,
                paid_on=day,
                method=method,
                reference=f"{method[:2].upper()}{day:%Y%m%d}{rng.randrange(10**8):08d}",
                fee_fen=alloc.parts["fee"],
                interest_fen=alloc.parts["interest"],
                penalty_fen=alloc.parts["penalty"],
                principal_fen=alloc.parts["principal"],
                unapplied_fen=alloc.unapplied,
                note=note,
                recorded_by=self.actor,
                recorded_at=gen._at(day, rng.randint(10, 18)),
            )
            gen.payments.append(payment)
            made.append(payment)
            if debt.balance_fen == 0:
                debt.status = Debt.Status.PAID
                debt.dpd, debt.bucket = 0, "M0"
                rows = gen.history[id(debt)]
                rows[:] = [r for r in rows if r.as_of < day]
                rows.append(BucketHistory(debt=debt, as_of=day, dpd=0, bucket="M0"))
        return made

    def reverse(self, day: date, original: Payment) -> None:
        debt = original.debt
        debt.fee_fen += original.fee_fen
        debt.interest_fen += original.interest_fen
        debt.penalty_fen += original.penalty_fen
        debt.principal_fen += original.principal_fen
        self.gen.reversals.append(
            Payment(
                debt=debt,
                case=self.case,
                amount_fen=-original.amount_fen,
                paid_on=original.paid_on,
                method=original.method,
                reference=original.reference,
                reversal_of=original,
                fee_fen=-original.fee_fen,
                interest_fen=-original.interest_fen,
                penalty_fen=-original.penalty_fen,
                principal_fen=-original.principal_fen,
                unapplied_fen=-original.unapplied_fen,
                note="银行退票，冲正 transfer returned",
                recorded_by=self.gen.staff.supervisor,
                recorded_at=self.gen._at(day, 17),
            )
        )

    def promise(self, day: date, point: ContactPoint, duration: int) -> None:
        rng, gen, today = self.rng, self.gen, self.gen.today
        balance = _balance(self.states)
        if balance == 0:
            return
        if balance <= 300_000 or rng.random() < 0.1:
            amount = balance
        else:
            amount = min(balance, max(20_000, int(balance * rng.uniform(0.05, 0.4)) // 10_000 * 10_000))
        due = day + timedelta(days=rng.randint(2, 14))
        if due == today - timedelta(days=1):
            due = today
        moment = self.activity(
            day,
            Activity.Kind.CALL,
            Activity.Outcome.PROMISE,
            note=f"债务人承诺于{due:%Y-%m-%d}前还款¥{amount // 100:,}.{amount % 100:02d}",
            contact_point=point,
            duration=duration,
        )
        self.first_contact(day)
        if self.case.stage == Stage.CONTACT:
            self.move(day, Stage.NEGOTIATED, "债务人承诺还款 promise to pay", self.actor)
        promise = PromiseToPay(
            case=self.case,
            amount_fen=amount,
            due_date=due,
            note="电话承诺",
            created_by=self.actor,
            created_at=moment + timedelta(minutes=2),
        )
        gen.promises.append(promise)
        self.busy_until = due
        self.last_broken = False
        if due >= today:
            self.open_promise = promise
            return
        keeps = {"cooperative": 0.6, "hard": 0.3}.get(self.profile, 0.2)
        if rng.random() < keeps:
            paid_on = due - timedelta(days=rng.randint(0, min(3, (due - day).days)))
            self.pay(paid_on, amount, note="按承诺还款")
            promise.status, promise.paid_fen = PromiseToPay.Status.KEPT, amount
            promise.resolved_at = gen._at(paid_on, 18)
            self.activity(
                paid_on,
                Activity.Kind.NOTE,
                Activity.Outcome.PAID,
                note="承诺还款已到账",
                party="none",
                hour=19,
            )
            if _balance(self.states) == 0:
                self.move(paid_on, Stage.CLOSED, "全部结清 paid in full", self.actor)
                self.closed = True
            return
        partial = 0
        if rng.random() < 0.25 and amount >= 40_000:
            partial = int(amount * rng.uniform(0.2, 0.6)) // 100 * 100
            self.pay(due - timedelta(days=rng.randint(0, min(2, (due - day).days))), partial, note="部分还款")
        promise.status, promise.paid_fen = PromiseToPay.Status.BROKEN, partial
        promise.resolved_at = gen._at(due + timedelta(days=1), 1, 0)
        self.last_broken = True

    def spontaneous_payment(self, day: date, point: ContactPoint, duration: int) -> None:
        rng = self.rng
        balance = _balance(self.states)
        settle = balance <= 2_000_000 and rng.random() < 0.2
        amount = balance if settle else min(balance, rng.randint(5, 50) * 10_000)
        self.activity(
            day,
            Activity.Kind.CALL,
            Activity.Outcome.PAID,
            note=f"债务人告知已还款¥{amount // 100:,}.{amount % 100:02d}，已核实到账",
            contact_point=point,
            duration=duration,
        )
        self.first_contact(day)
        made = self.pay(day, amount)
        if _balance(self.states) == 0:
            self.move(day, Stage.CLOSED, "全部结清 paid in full", self.actor)
            self.closed = True
        elif (
            made
            and made[0].debt.status == Debt.Status.OPEN
            and rng.random() < 0.05
            and day + timedelta(days=2) < self.gen.today
        ):
            self.reverse(day + timedelta(days=2), made[0])
            self.busy_until = day + timedelta(days=2)

    def legal_step(self, day: date) -> None:
        rng = self.rng
        if self.case.stage == Stage.LEGAL and rng.random() < 0.12:
            self.move(day, Stage.ENFORCEMENT, "申请强制执行 enforcement", self.actor)
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=ENFORCEMENT_NOTES[0], party="none"
            )
            return
        if self.case.stage == Stage.ENFORCEMENT and rng.random() < 0.15 and _balance(self.states) > 0:
            amount = min(_balance(self.states), rng.randint(10, 200) * 10_000)
            self.pay(day, amount, method=Payment.Method.COURT, note="法院执行款")
            self.activity(day, Activity.Kind.NOTE, Activity.Outcome.PAID, note="收到法院执行款", party="none")
            if _balance(self.states) == 0:
                self.move(day, Stage.CLOSED, "执行完毕，全部结清 paid in full", self.actor)
                self.closed = True
            return
        notes = LEGAL_NOTES if self.case.stage == Stage.LEGAL else ENFORCEMENT_NOTES
        if rng.random() < 0.4:
            self.activity(
                day, Activity.Kind.NOTE, Activity.Outcome.OTHER, note=rng.choice(notes), party="none"
            )


# --- users -------------------------------------------------------------------------------------------


def _ensure_users(*, actor: Any) -> tuple[list[DemoUser], _Staff]:
    """Create the demo users that do not exist yet, each with a fresh random password."""
    existing = {u.username: u for u in User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS])}
    rows: list[DemoUser] = []
    team = Team.objects.filter(name=DEMO_TEAM).first()
    for username, role, display in DEMO_USERS:
        user = existing.get(username)
        if user is not None:
            rows.append(DemoUser(username, user.role, None, False))
            continue
        if role == Role.COLLECTOR and team is None:
            team = _team_create(actor=actor, supervisor=existing.get("demo_supervisor"))
        password = secrets.token_urlsafe(12)
        user = account_services.user_create(
            actor=actor,
            username=username,
            role=role.value,
            password=password,
            display_name=display,
            team=team if role == Role.COLLECTOR else None,
        )
        existing[username] = user
        rows.append(DemoUser(username, role.value, password, True))
    if team is None:
        team = _team_create(actor=actor, supervisor=existing["demo_supervisor"])
    collectors = [existing[u] for u, r, _ in DEMO_USERS if r == Role.COLLECTOR]
    return rows, _Staff(collectors, existing["demo_legal"], existing["demo_supervisor"], team)


def _team_create(*, actor: Any, supervisor: User | None) -> Team:
    team = Team.objects.create(name=DEMO_TEAM, supervisor=supervisor)
    audit.record(
        actor=actor,
        action="team.create",
        entity=team,
        changes={"name": [None, DEMO_TEAM], "supervisor": [None, supervisor.pk if supervisor else None]},
    )
    return team


# --- load, reset, inspect -----------------------------------------------------------------------------


def demo_is_loaded() -> bool:
    return Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES).exists()


def _delete_demo_data() -> dict[str, int]:
    """Remove everything under the demo creditors (users and their audit trail stay)."""
    creditor_ids = list(Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES).values_list("id", flat=True))
    cases = Case.objects.filter(portfolio__creditor_id__in=creditor_ids)
    deleted = {"cases": cases.count(), "debts": Debt.objects.filter(creditor_id__in=creditor_ids).count()}
    Payment.objects.filter(case__in=cases, reversal_of__isnull=False).delete()
    Payment.objects.filter(case__in=cases).delete()
    Activity.objects.filter(case__in=cases).delete()
    PromiseToPay.objects.filter(case__in=cases).delete()
    CaseStageChange.objects.filter(case__in=cases).delete()
    debts = Debt.objects.filter(creditor_id__in=creditor_ids)
    Instalment.objects.filter(debt__in=debts).delete()
    BucketHistory.objects.filter(debt__in=debts).delete()
    Guarantor.objects.filter(debt__in=debts).delete()
    debts.delete()
    Case.tags.through.objects.filter(case__in=cases).delete()
    cases.delete()
    debtors = Debtor.objects.filter(creditor_id__in=creditor_ids)
    ContactPoint.objects.filter(debtor__in=debtors).delete()
    BankAccount.objects.filter(debtor__in=debtors).delete()
    debtors.delete()
    ImportJob.objects.filter(creditor_id__in=creditor_ids).delete()
    CreditorViewerGrant.objects.filter(creditor_id__in=creditor_ids).delete()
    Portfolio.objects.filter(creditor_id__in=creditor_ids).delete()
    Creditor.objects.filter(id__in=creditor_ids).delete()
    return deleted


@transaction.atomic
def demo_load(
    *,
    actor: Any = "system",
    seed: int = DEFAULT_SEED,
    size: str = "full",
    today: date | None = None,
    reset: bool = False,
) -> DemoResult:
    """Load the demo (or, with `reset`, delete and rebuild it); a loaded demo is left as it is."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; one of {', '.join(SIZES)}")
    started = time.perf_counter()
    today = today or business_today()
    result = DemoResult(already_loaded=False, reset=False, seed=seed, size=size, business_date=today)
    loaded = demo_is_loaded()
    if loaded and not reset:
        result.already_loaded = True
        result.users, _ = _ensure_users(actor=actor)
        return result
    deleted: dict[str, int] = {}
    if loaded:
        deleted = _delete_demo_data()
        result.reset = True
    t_users = time.perf_counter()
    result.users, staff = _ensure_users(actor=actor)
    t_generate = time.perf_counter()
    generator = _Generator(seed=seed, size=SIZES[size], today=today, staff=staff)
    generator.build()
    t_insert = time.perf_counter()
    counts = generator.insert()
    viewer = User.objects.get(username="demo_client")
    if viewer.role == Role.CREDITOR_VIEWER:
        portfolio_services.creditor_viewer_grant(actor=actor, user=viewer, creditor_codes=[VIEWER_CREDITOR])
    counts["users"] = sum(1 for u in result.users if u.created)
    result.counts = counts
    audit.record(
        actor=actor,
        action="demo.load",
        entity_type="portfolio.demo",
        entity_id=str(seed),
        changes={
            "seed": seed,
            "size": size,
            "business_date": today.isoformat(),
            "created": counts,
            "deleted": deleted,
        },
        reason="演示数据 demo data",
    )
    done = time.perf_counter()
    result.timings = {
        "reset": round(t_users - started, 3),
        "users": round(t_generate - t_users, 3),
        "generate": round(t_insert - t_generate, 3),
        "pii": round(generator.pii_seconds, 3),
        "insert": round(done - t_insert, 3),
        "total": round(done - started, 3),
    }
    return result


def demo_digest() -> str:
    """SHA-256 over the demo's key fields (no ids, no ciphertexts, no wall-clock stamps)."""
    creditor_filter = {"creditor__code__in": DEMO_CREDITOR_CODES}
    case_filter = {"portfolio__creditor__code__in": DEMO_CREDITOR_CODES}
    queries: list[Iterable[Sequence[Any]]] = [
        Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES)
        .order_by("code")
        .values_list("code", "name", "kind"),
        Portfolio.objects.filter(**creditor_filter)
        .order_by("creditor__code", "code")
        .values_list("creditor__code", "code", "name", "placement_date", "recall_date"),
        Debtor.objects.filter(**creditor_filter)
        .order_by("id")
        .values_list("kind", "name", "id_number_masked", "home_address_masked", "employer"),
        ContactPoint.objects.filter(debtor__creditor__code__in=DEMO_CREDITOR_CODES)
        .order_by("id")
        .values_list("debtor__name", "party", "name", "relation", "value_masked", "consent", "status"),
        Case.objects.filter(**case_filter)
        .order_by("id")
        .values_list(
            "portfolio__code",
            "debtor__name",
            "assigned_to__username",
            "team__name",
            "stage",
            "next_action_date",
            "total_balance_fen",
            "max_dpd",
            "bucket",
        ),
        Debt.objects.filter(**creditor_filter)
        .order_by("creditor__code", "contract_no")
        .values_list(
            "contract_no",
            "case__debtor__name",
            "product",
            "original_principal_fen",
            "principal_fen",
            "interest_fen",
            "penalty_fen",
            "fee_fen",
            "annual_rate",
            "contract_date",
            "due_date",
            "overdue_since",
            "dpd",
            "bucket",
            "status",
            "allocation_order",
        ),
        Instalment.objects.filter(debt__creditor__code__in=DEMO_CREDITOR_CODES)
        .order_by("debt__contract_no", "seq")
        .values_list("debt__contract_no", "seq", "due_date", "amount_fen", "paid_fen"),
        Payment.objects.filter(**{"case__" + k: v for k, v in case_filter.items()})
        .order_by("id")
        .values_list(
            "debt__contract_no",
            "amount_fen",
            "paid_on",
            "method",
            "reference",
            "fee_fen",
            "interest_fen",
            "penalty_fen",
            "principal_fen",
            "unapplied_fen",
        ),
        PromiseToPay.objects.filter(**{"case__" + k: v for k, v in case_filter.items()})
        .order_by("id")
        .values_list("case__debtor__name", "amount_fen", "due_date", "status", "paid_fen", "created_at"),
        Activity.objects.filter(**{"case__" + k: v for k, v in case_filter.items()})
        .order_by("occurred_at", "id")
        .values_list(
            "case__debtor__name", "kind", "party", "outcome", "occurred_at", "duration_seconds", "note"
        ),
        CaseStageChange.objects.filter(**{"case__" + k: v for k, v in case_filter.items()})
        .order_by("id")
        .values_list("case__debtor__name", "from_stage", "to_stage", "business_date", "reason"),
    ]
    digest = hashlib.sha256()
    for rows in queries:
        for row in rows:
            digest.update(repr(tuple(_stable(v) for v in row)).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def _stable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(business_tz()).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return value
