"""The demo's fixed reference data: sizes, creditors and their products, users, names, places, and the
weights of everything drawn at random."""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from qingzhai.accounts.roles import Role
from qingzhai.portfolio.models import Creditor

DEFAULT_SEED = 20260101


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


pick_surname = Weighted(zip(SURNAMES, SURNAME_WEIGHTS, strict=True))
pick_region = Weighted((r, r[4]) for r in REGIONS)
pick_bucket = Weighted(BUCKET_WEIGHTS)
pick_profile = Weighted(PROFILES)
pick_outcome = {name: Weighted(pairs) for name, pairs in OUTCOMES.items()}
pick_relation = Weighted(RELATIONS)
pick_method = Weighted(METHODS)
