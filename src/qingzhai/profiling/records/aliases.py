"""Column names and values the record parser accepts besides the schema's own (records/schema.py).

Pure module (no Django). Header cells are compared after `normalise_header`: no whitespace, lower case,
full-width brackets as ASCII. A money field `x_fen` is always also accepted as `x_fen` (integer fen),
`x_yuan` and `x` (yuan); the Chinese aliases below are read as yuan unless the header carries a unit in
brackets: ``成交价(分)`` fen, ``成交价(元)`` yuan, ``注册资本(万元)`` ten-thousands of yuan.
"""

from __future__ import annotations

import re

# kind -> field -> other header names (Chinese first). The field name itself always works.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "business": {
        "company": ("企业名称", "公司名称", "名称", "company name"),
        "uscc": ("统一社会信用代码", "信用代码", "社会信用代码"),
        "status": ("登记状态", "经营状态", "企业状态", "状态"),
        "registered_capital_fen": ("注册资本", "registered capital"),
        "paid_in_capital_fen": ("实缴资本", "实缴出资", "paid-in capital"),
        "established_on": ("成立日期", "成立时间"),
        "legal_representative": ("法定代表人", "法人代表", "法人"),
        "role": ("任职角色", "角色", "身份", "职务"),
        "stake_pct": ("持股比例", "出资比例", "stake"),
        "change_type": ("变更事项", "变更类型"),
        "change_date": ("变更日期",),
        "change_before": ("变更前", "变更前内容"),
        "change_after": ("变更后", "变更后内容"),
        "as_of": ("查询日期", "信息日期", "截止日期", "数据日期"),
    },
    "property": {
        "property_id": ("不动产权证号", "不动产权证书号", "产权证号", "房产证号", "不动产单元号", "单元号"),
        "owner": ("产权人", "权利人", "所有权人", "业主"),
        "owner_relation": ("产权人关系", "权利人关系", "与债务人关系"),
        "address": ("坐落", "房屋坐落", "地址", "不动产坐落"),
        "area_sqm": ("建筑面积", "面积", "area"),
        "acquired_on": ("取得日期", "购入日期", "登记取得日期"),
        "acquisition_price_fen": ("取得价格", "购入价格", "购买价格"),
        "reference_value_fen": ("参考价值", "评估价值", "市场价值", "评估价", "市场价"),
        "event": ("登记事项", "事项", "登记类型"),
        "event_date": ("登记日期", "事项日期", "变更日期"),
        "transferee": ("受让人", "买受人", "受赠人"),
        "transferee_relation": ("受让人关系", "受让人与债务人关系"),
        "price_fen": ("成交价格", "转让价格", "成交价", "交易价格"),
        "mortgage_fen": ("抵押金额", "债权数额", "抵押债权数额"),
    },
    "vehicle": {
        "plate": ("车牌号", "号牌号码", "车牌号码", "车牌"),
        "owner": ("车主", "所有人", "机动车所有人"),
        "owner_relation": ("车主关系", "所有人关系", "与债务人关系"),
        "model": ("车型", "品牌型号", "车辆型号"),
        "registered_on": ("初次登记日期", "注册登记日期", "初登日期"),
        "reference_value_fen": ("参考价值", "评估价值", "市场价值", "评估价"),
        "event": ("登记事项", "事项", "业务类型"),
        "event_date": ("登记日期", "事项日期", "业务日期", "过户日期"),
        "transferee": ("受让人", "买受人", "现车主"),
        "transferee_relation": ("受让人关系", "受让人与债务人关系"),
        "price_fen": ("成交价格", "转让价格", "成交价", "交易价格"),
    },
    "marriage": {
        "event": ("登记类型", "婚姻事项", "事项", "婚姻状况变更"),
        "event_date": ("登记日期", "结婚日期", "离婚日期", "事项日期"),
        "spouse": ("配偶", "配偶姓名", "对方姓名", "前配偶"),
        "agreement_note": ("离婚协议财产分割", "财产分割", "协议内容", "财产分割约定"),
    },
    "court": {
        "record_type": ("记录类型", "案件类型", "类型"),
        "case_no": ("案号",),
        "court": ("法院", "执行法院", "审理法院", "经办法院"),
        "role": ("当事人地位", "诉讼地位", "身份"),
        "amount_fen": ("标的金额", "执行标的", "标的额", "涉案金额"),
        "filed_on": ("立案日期", "发布日期", "立案时间", "发布时间"),
        "status": ("案件状态", "状态", "执行状态"),
        "closed_on": ("结案日期", "解除日期", "终结日期"),
        "outstanding_fen": ("未履行金额", "未履行标的", "未履行部分"),
    },
    "contribution": {
        "scheme": ("险种", "类别", "缴纳类型", "项目"),
        "period": ("所属期", "缴费月份", "所属月份", "月份", "费款所属期"),
        "employer": ("缴纳单位", "扣缴义务人", "单位名称", "工作单位"),
        "base_fen": ("缴费基数", "计税收入", "收入额"),
        "amount_fen": ("缴纳金额", "缴费金额", "税额", "金额"),
        "status": ("缴纳状态", "缴费状态", "状态"),
    },
    "declared_income": {
        "declared_on": ("申报日期", "填报日期"),
        "monthly_income_fen": ("月收入", "申报月收入", "每月收入"),
        "source": ("申报来源", "来源", "申报场景"),
        "employer": ("工作单位", "单位名称", "雇主"),
        "occupation": ("职业", "岗位"),
        "dependants": ("抚养人数", "赡养抚养人数", "供养人数"),
    },
}

# Chinese (and loose English) values of choice fields -> the schema value. Keys compared after
# `normalise_value`. Fields without choices in the schema (transferee_relation) are normalised the same
# way when the value is known, and kept as written otherwise.
_RELATION = {
    "本人": "self",
    "债务人本人": "self",
    "配偶": "spouse",
    "妻子": "spouse",
    "丈夫": "spouse",
    "亲属": "relative",
    "近亲属": "relative",
    "父母": "relative",
    "父亲": "relative",
    "母亲": "relative",
    "子女": "relative",
    "儿子": "relative",
    "女儿": "relative",
    "兄弟姐妹": "relative",
    "公司": "company",
    "企业": "company",
    "单位": "company",
    "其他": "other",
}
VALUES: dict[str, dict[str, dict[str, str]]] = {
    "business": {
        "status": {
            "存续": "active",
            "在业": "active",
            "开业": "active",
            "在营": "active",
            "存续（在营、开业、在册）": "active",
            "吊销": "revoked",
            "吊销，未注销": "revoked",
            "注销": "cancelled",
            "已注销": "cancelled",
            "解散": "dissolved",
            "清算": "dissolved",
            "撤销": "other",
            "其他": "other",
        },
        "role": {
            "法定代表人": "legal_representative",
            "法人": "legal_representative",
            "股东": "shareholder",
            "董事": "director",
            "执行董事": "director",
            "董事长": "director",
            "监事": "supervisor",
            "经理": "manager",
            "总经理": "manager",
            "其他": "other",
        },
    },
    "property": {
        "owner_relation": _RELATION,
        "event": {
            "持有": "holding",
            "现有": "holding",
            "首次登记": "holding",
            "取得": "acquisition",
            "购入": "acquisition",
            "买入": "acquisition",
            "转移登记": "transfer",
            "转让": "transfer",
            "过户": "transfer",
            "出售": "transfer",
            "赠与": "transfer",
            "抵押": "mortgage",
            "抵押登记": "mortgage",
            "查封": "seizure",
            "查封登记": "seizure",
        },
    },
    "marriage": {
        "event": {"结婚": "marriage", "结婚登记": "marriage", "离婚": "divorce", "离婚登记": "divorce"},
    },
    "court": {
        "record_type": {
            "诉讼": "suit",
            "起诉": "suit",
            "民事诉讼": "suit",
            "执行": "enforcement",
            "被执行人": "enforcement",
            "失信": "dishonest",
            "失信被执行人": "dishonest",
            "限制消费": "consumption_restriction",
            "限制高消费": "consumption_restriction",
            "限高": "consumption_restriction",
            "限制消费令": "consumption_restriction",
            "判决": "judgment",
            "裁判文书": "judgment",
        },
        "role": {
            "被告": "defendant",
            "原告": "plaintiff",
            "被执行人": "respondent",
            "被申请人": "respondent",
            "申请执行人": "applicant",
            "申请人": "applicant",
            "第三人": "third_party",
        },
        "status": {
            "未结": "open",
            "在办": "open",
            "执行中": "open",
            "进行中": "open",
            "有效": "open",
            "已结": "closed",
            "结案": "closed",
            "已结案": "closed",
            "执行完毕": "closed",
            "终本": "terminated",
            "终结本次执行": "terminated",
            "终结执行": "terminated",
            "已解除": "lifted",
            "解除": "lifted",
            "已撤销": "lifted",
            "已屏蔽": "lifted",
        },
    },
    "contribution": {
        "scheme": {
            "个税": "tax",
            "个人所得税": "tax",
            "纳税": "tax",
            "社保": "social_insurance",
            "社会保险": "social_insurance",
            "养老保险": "social_insurance",
            "公积金": "housing_fund",
            "住房公积金": "housing_fund",
        },
        "status": {
            "已缴": "paid",
            "已缴纳": "paid",
            "正常": "paid",
            "正常缴纳": "paid",
            "欠缴": "arrears",
            "欠费": "arrears",
            "停缴": "stopped",
            "中断": "stopped",
            "暂停": "stopped",
        },
    },
    "declared_income": {
        "source": {
            "贷款申请": "loan_application",
            "借款申请": "loan_application",
            "法院申报": "court_declaration",
            "财产申报": "court_declaration",
            "财产报告": "court_declaration",
            "面谈": "interview",
            "访谈": "interview",
            "电话": "interview",
            "其他": "other",
        },
    },
}
VALUES["vehicle"] = {"owner_relation": _RELATION, "event": VALUES["property"]["event"]}

# transferee_relation has no fixed choices in the schema; these are the values the flags read.
TRANSFEREE_RELATIONS = ("self", "spouse", "ex_spouse", "relative", "related_company", "stranger")
TRANSFEREE_VALUES = {
    **{k: v for k, v in _RELATION.items() if v in TRANSFEREE_RELATIONS},
    "前配偶": "ex_spouse",
    "前妻": "ex_spouse",
    "前夫": "ex_spouse",
    "原配偶": "ex_spouse",
    "关联公司": "related_company",
    "关联企业": "related_company",
    "本人公司": "related_company",
    "无关联": "stranger",
    "无关系": "stranger",
    "第三人": "stranger",
    "陌生人": "stranger",
    "非关联方": "stranger",
}
for _kind in ("property", "vehicle"):
    VALUES[_kind]["transferee_relation"] = TRANSFEREE_VALUES

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


def normalise_header(text: str) -> str:
    """``成交价格 （元）`` -> ``成交价格(元)``; ``Price_Yuan`` -> ``price_yuan``."""
    return re.sub(r"[\s\u00a0\u3000\ufeff]+", "", text).translate(_BRACKETS).lower()


def split_unit(key: str) -> tuple[str, str]:
    """A normalised header -> (name without a trailing bracket, the text in the bracket)."""
    m = re.match(r"^(.*?)\(([^()]*)\)$", key)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return key, ""


def normalise_value(text: str) -> str:
    return re.sub(r"[\s\u00a0\u3000]+", "", text).translate(_BRACKETS).lower().replace("-", "_")
