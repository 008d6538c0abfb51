"""Words that mark spending a consumption-restriction order forbids (限制消费令; SPC Provisions on Restricting
High Consumption of Judgment Debtors, as revised by 法释〔2015〕17号, art. 3).

Pure data. A category matches a transaction's text (counterparty | category | memo, lower-cased) when any
`include` pattern matches, or every pattern of one of its `pairs` does, and no `exclude` pattern does.
Patterns are regular expressions; Latin words are wrapped so that they only match whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def word(*names: str) -> str:
    """Latin names as whole words: 'lv' matches 'LV 包' but not 'slv' or 'lv1'."""
    return "(?<![a-z0-9])(?:" + "|".join(names) + ")(?![a-z0-9])"


@dataclass(frozen=True)
class Category:
    key: str
    label_zh: str
    label_en: str
    item: str  # the order's item this spending breaches
    include: tuple[str, ...] = ()
    pairs: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        text = text.lower()
        if any(re.search(p, text) for p in self.exclude):
            return False
        if any(re.search(p, text) for p in self.include):
            return True
        return any(all(re.search(p, text) for p in pair) for pair in self.pairs)


_RAIL_CONTEXT = r"12306|铁路|火车|车次|高铁|动车|车票|[一二]等座|商务座|站"
_G_TRAIN = r"(?<![a-z0-9])g\d{1,4}(?![0-9])"
_STAR = r"星级|五星|四星|三星|豪华|奢华|luxury|5-star|five[- ]star"
_HOTEL = r"酒店|宾馆|饭店|度假村|hotel|resort"

CATEGORIES: tuple[Category, ...] = (
    Category(
        "flight",
        "乘坐飞机",
        "Flights",
        "(1) 乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
        include=(
            r"机票",
            r"飞机票",
            r"航班",
            r"航空",
            r"国航|东航|南航|川航|海航|厦航|深航|春秋航|吉祥航",
            r"值机|登机",
            word("air ?china", "airlines?", "airways", "flight"),
        ),
        exclude=(r"航空港", r"航空(物流|快递|货运|模型|大学|学院|公园|博物馆)", r"机票退款", r"退票"),
    ),
    Category(
        "high_speed_rail",
        "高铁及动车一等座以上、软卧",
        "High-speed rail, first class or above, soft sleepers",
        "(1)(9) 乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位；列车软卧",
        include=(r"商务座|特等座|软卧", r"高铁票"),
        pairs=(
            (r"一等座", r"动车|(?<![a-z0-9])[dcg]\d{1,4}(?![0-9])|12306|铁路|高铁|火车"),
            (_G_TRAIN, _RAIL_CONTEXT),
            (r"高铁(?!站)", r"12306|车票|铁路|[一二]等座"),
        ),
        exclude=(r"通行费|高速公路|etc|停车", r"退票"),
    ),
    Category(
        "star_hotel",
        "星级以上宾馆酒店",
        "Star-rated hotels",
        "(2) 在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
        include=(
            r"希尔顿|万豪|丽思卡尔顿|洲际酒店|香格里拉|凯悦|君悦|柏悦|喜来登|威斯汀|四季酒店|半岛酒店|文华东方",
            r"瑞吉|康莱德|华尔道夫|朗廷|索菲特|铂尔曼|费尔蒙|安缦|悦榕庄|宝格丽酒店|艾美酒店|万丽|皇冠假日|英迪格|璞丽",
            word(
                "hilton", "marriott", "ritz-?carlton", "intercontinental", "shangri-?la", "hyatt", "sheraton"
            ),
            word("westin", "four seasons", "peninsula", "mandarin oriental", "st\\.? ?regis", "conrad"),
            word("waldorf", "langham", "sofitel", "pullman", "fairmont", "aman", "banyan tree"),
        ),
        pairs=((_STAR, _HOTEL),),
        exclude=(r"欢朋|万枫|希尔顿花园|hampton|fairfield",),
    ),
    Category(
        "golf",
        "高尔夫球场",
        "Golf",
        "(2) 在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
        include=(r"高尔夫", word("golf")),
        exclude=(r"大众|一汽|golf ?gti|嘉旅|4s店|汽车|保养|vw",),
    ),
    Category(
        "nightclub",
        "夜总会等娱乐场所",
        "Nightclubs",
        "(2) 在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
        include=(r"夜总会|夜店|夜场|娱乐会所|商务会所|私人会所", word("night ?club")),
    ),
    Category(
        "luxury",
        "奢侈品",
        "Luxury goods",
        "其他非生活和工作必需的消费行为（奢侈品）",
        include=(
            r"奢侈品|路易威登|古驰|香奈儿|爱马仕|普拉达|迪奥|卡地亚|劳力士|百达翡丽|蒂芙尼|巴黎世家|宝格丽",
            r"欧米茄|梵克雅宝|萧邦|江诗丹顿|积家|爱彼|芬迪|葆蝶家|罗意威|华伦天奴|伯爵表|宝珀|宇舶",
            word("louis vuitton", "lv", "gucci", "chanel", "herm[eè]s", "prada", "dior", "cartier", "rolex"),
            word(
                "patek philippe", "tiffany", "balenciaga", "bvlgari", "omega", "van cleef", "audemars piguet"
            ),
            word("fendi", "bottega veneta", "loewe", "valentino", "hublot", "vacheron constantin"),
        ),
    ),
    Category(
        "travel",
        "旅游、度假",
        "Travel and holidays",
        "(6) 旅游、度假",
        include=(r"旅行社|跟团游|出境游|自由行|邮轮|旅游度假|度假套餐", word("club ?med", "cruise")),
        exclude=(r"退款",),
    ),
)
BY_KEY = {c.key: c for c in CATEGORIES}


def classify(text: str) -> str | None:
    """The first category the text matches, in CATEGORIES order, or None."""
    for category in CATEGORIES:
        if category.matches(text):
            return category.key
    return None
