"""Hand-derived values for debtor 1 of fixture.py: identity, income, consumption, cash flow, liabilities.

Each value is reasoned from the literal rows (labels as in fixture.py), never computed by the engine.
Net spending per row (after refunds): S1 300,000 (m0), S2 100,000-R1 40,000 = 60,000 (m0), S17 70,000 (m0;
its refund R3 is after as_of), S3 50,000 (m1), S16 80,000-R2 80,000 = 0 (m1), S4 200,000-50,000 on the row
= 150,000 (m2), S5 2,000,000 (m3), S6 30,000 (m5), S7 4,000,000 (m6), S8 500,000 (m7), S9 600,000 (m8),
S10 120,000 (m11), S11 250,000 (m12), S12 1,500,000 (m22), S18 1,000,000 (m25), S13 800,000 (m33).
Income: T1, T2, T3 1,000,000 each (m0, m1, m2), T4 1,000,000 (m4), T5 6,000,000 (m6), T6 800,000 (m10),
T12 900,000 (m21), T7 500,000 (m27); T8 is m36 (outside every window), T9 after as_of, T10 in USD.
Monthly net flow, m0..m11 (thousand fen): 570, 950, 850, -2000, 1000, -30, 2000, -500, -600, 0, 800, -120;
then m12 -250, m21 +900, m22 -1500, m25 -1000, m27 +500, m33 -800 (other months of 36: 0).
"""

EXPECTED_A = {
    # identity: the debtors row
    "id_is_enterprise": False,  # kind person
    "id_age_years": 38,  # age 38
    "id_has_id_number": True,
    "id_has_home_address": True,
    "id_has_work_address": False,
    "id_bankrupt": False,
    "id_deceased": False,
    "id_hardship": True,
    "id_lawyer_represented": False,
    "id_unreachable": False,
    "id_has_employer": True,  # employer CO
    "id_case_age_days": 365,  # created 2024-06-15
    # identity: contributions (2025-07 is after as_of, 2022-05 is m37)
    "id_contrib_months_12m": 3,  # paid in 2025-05, 2025-04 (twice), 2024-12; 2025-03 is arrears
    "id_contrib_months_36m": 5,  # + 2024-05 tax (m13), 2023-01 (m29)
    "id_housing_fund_months_12m": 1,  # 2025-04
    "id_employers_36m": 2,  # CO, YS
    "id_current_employer_months_36m": 2,  # latest paid 2025-05 is CO; CO paid in 2025-05 and 2025-04
    "id_contrib_arrears_months_12m": 1,  # 2025-03
    "id_months_since_last_contrib": 1,  # 2025-05
    "id_declared_dependants": 2,  # latest declaration up to as_of: 2024-11-01
    "id_days_since_declaration": 226,  # 2024-11-01 -> 2025-06-15
    # income
    "inc_total_3m": 3_000_000,  # T1+T2+T3
    "inc_total_6m": 4_000_000,  # + T4
    "inc_total_12m": 10_800_000,  # + T5 6,000,000 + T6 800,000
    "inc_total_24m": 11_700_000,  # + T12 900,000
    "inc_total_36m": 12_200_000,  # + T7 500,000
    "inc_avg_monthly_3m": 1_000_000,  # 3,000,000 / 3
    "inc_avg_monthly_6m": 666_666,  # 4,000,000 / 6 floored
    "inc_avg_monthly_12m": 900_000,  # 10,800,000 / 12
    "inc_avg_monthly_24m": 487_500,  # 11,700,000 / 24
    "inc_avg_monthly_36m": 338_888,  # 12,200,000 / 36 = 338,888.9 floored
    "inc_months_with_income_3m": 3,  # m0 m1 m2
    "inc_months_with_income_6m": 4,  # + m4
    "inc_months_with_income_12m": 6,  # + m6 m10
    "inc_months_with_income_24m": 7,  # + m21
    "inc_months_with_income_36m": 8,  # + m27
    "inc_count_12m": 6,  # T1-T6
    "inc_max_single_12m": 6_000_000,  # T5
    "inc_max_single_36m": 6_000_000,  # T5 (T8 is m36)
    "inc_salary_12m": 4_000_000,  # T1-T4 (工资); T5 借款归还 and T6 分红 are not salary
    "inc_salary_36m": 4_900_000,  # + T12
    "inc_salary_months_12m": 4,  # m0 m1 m2 m4
    "inc_large_inflows_12m": 1,  # T5 >= 50,000 yuan
    "inc_days_since_last_income": 5,  # T1 2025-06-10
    "inc_fx_count_12m": 1,  # T10 USD
    "inc_payers_12m": 3,  # CO, 王五, QS
    "inc_top_payer_share_12m": 0.5556,  # 王五 6,000,000 / 10,800,000
    "inc_top_payer_share_36m": 0.4918,  # 王五 6,000,000 / 12,200,000
    "inc_regular_share_12m": 0.3704,  # CO paid in 4 months: 4,000,000 / 10,800,000
    "inc_declared_monthly": 500_000,  # 2024-11-01 declaration (2025-07-01 is after as_of)
    "inc_contrib_base_avg_12m": 733_333,  # paid social insurance 800,000, 800,000, 600,000 -> mean floored
    "inc_documented_monthly": 500_000,  # the declaration wins over the contribution base
    "inc_vs_documented_ratio_12m": 1.8,  # 10,800,000 / (500,000 x 12)
    # consumption
    "cons_net_3m": 630_000,  # S1 300,000 + S2 60,000 + S17 70,000 + S3 50,000 + S16 0 + S4 150,000
    "cons_net_6m": 2_660_000,  # + S5 2,000,000 + S6 30,000
    "cons_net_12m": 7_880_000,  # + S7 4,000,000 + S8 500,000 + S9 600,000 + S10 120,000
    "cons_net_24m": 9_630_000,  # + S11 250,000 + S12 1,500,000
    "cons_net_36m": 11_430_000,  # + S18 1,000,000 + S13 800,000
    "cons_avg_monthly_3m": 210_000,  # 630,000 / 3
    "cons_avg_monthly_6m": 443_333,  # 2,660,000 / 6 floored
    "cons_avg_monthly_12m": 656_666,  # 7,880,000 / 12 floored
    "cons_avg_monthly_24m": 401_250,  # 9,630,000 / 24
    "cons_avg_monthly_36m": 317_500,  # 11,430,000 / 36
    "inc_cons_gap_ratio_3m": 0.42,  # 630,000 / (500,000 x 3)
    "inc_cons_gap_ratio_6m": 0.8867,  # 2,660,000 / 3,000,000
    "inc_cons_gap_ratio_12m": 1.3133,  # 7,880,000 / 6,000,000
    "inc_cons_gap_ratio_24m": 0.8025,  # 9,630,000 / 12,000,000
    "inc_cons_gap_ratio_36m": 0.635,  # 11,430,000 / 18,000,000
    "cons_count_12m": 12,  # S1 S2 S17 S3 S16 S4 S5 S6 S7 S8 S9 S10 (S15 is USD)
    "cons_months_with_spending_12m": 9,  # m0 m1 m2 m3 m5 m6 m7 m8 m11
    "cons_max_single_12m": 4_000_000,  # S7
    "cons_refunds_12m": 170_000,  # S2 40,000 + S4 50,000 + S16 80,000
    "cons_large_purchases_12m": 2,  # S5, S7 (net >= 10,000 yuan)
    "cons_merchants_12m": 10,  # 周大福珠宝 携程旅行网 盒马鲜生 星光KTV 劳力士专卖店 体彩中心 王小红 *小红 QS 美团外卖
    "cons_luxury_12m": 2_300_000,  # S1 周大福珠宝 + S5 劳力士
    "cons_luxury_36m": 3_800_000,  # + S12 路易威登
    "cons_travel_12m": 60_000,  # S2 携程 net
    "cons_travel_36m": 310_000,  # + S11 飞猪旅行
    "cons_entertainment_12m": 50_000,  # S3 KTV
    "cons_entertainment_36m": 50_000,
    "cons_luxury_share_12m": 0.2919,  # 2,300,000 / 7,880,000
    "cons_luxury_share_36m": 0.3325,  # 3,800,000 / 11,430,000
    "cons_lottery_12m": 30_000,  # S6 彩票
    "cons_credit_funded_12m": 2_420_000,  # S1 花呗 300,000 + S5 信用卡 2,000,000 + S10 美团月付 120,000
    "cons_credit_funded_share_12m": 0.3071,  # 2,420,000 / 7,880,000
    "cons_credit_funded_share_36m": 0.343,  # (2,420,000 + S12 花呗 1,500,000) / 11,430,000
    "cons_night_count_12m": 3,  # S1 23:30, S3 22:30, S8 01:30
    "cons_night_share_12m": 0.1079,  # (300,000 + 50,000 + 500,000) / 7,880,000
    "cons_to_income_ratio_12m": 0.7296,  # 7,880,000 / 10,800,000
    "cons_to_income_ratio_36m": 0.9369,  # 11,430,000 / 12,200,000
    "cons_fx_count_12m": 1,  # S15 USD
    # cash flow
    "cf_net_3m": 2_370_000,  # 3,000,000 - 630,000
    "cf_net_6m": 1_340_000,  # 4,000,000 - 2,660,000
    "cf_net_12m": 2_920_000,  # 10,800,000 - 7,880,000
    "cf_net_24m": 2_070_000,  # 11,700,000 - 9,630,000
    "cf_net_36m": 770_000,  # 12,200,000 - 11,430,000
    "cf_months_negative_12m": 5,  # m3 m5 m7 m8 m11
    "cf_months_negative_24m": 7,  # + m12 m22
    "cf_months_negative_36m": 9,  # + m25 m33
    "cf_volatility_12m": 979_144,  # sum 2,920k, sum of squares 12,215,200k^2: sqrt(1,017,933.3 - 243.33^2) k
    "cf_volatility_36m": 691_440,  # sum 770k, sum of squares 17,227,700k^2: sqrt(478,547.2 - 21.39^2) k
    "cf_net_trend_12m": -240_000,  # m0..m5 1,340k - m6..m11 1,580k
    "cf_min_month_net_12m": -2_000_000,  # m3; every month m0..m11 has a row
    "cf_active_months_36m": 19,  # m0..m12, m21 m22 m25 m27 m29 m33
    "cf_savings_rate_12m": 0.2704,  # 2,920,000 / 10,800,000
    "cf_own_transfers_12m": 700_000,  # N1 500,000 + N2 200,000
    "cf_cash_withdrawals_12m": 200_000,  # N2 ATM取现 (N1 余额提现 is not cash)
    "cf_cash_withdrawal_count_12m": 1,
    "cf_failed_txns_12m": 1,  # N10 (N11 is closed, not failed)
    "cf_txn_count_12m": 33,  # 7 inflows + 13 outflows + R1 R2 R4 + 10 neutral (N7 m29)
    "cf_days_since_last_txn": 0,  # S2 / R1 on the as-of day
    # liabilities: debts (105's contract is after as_of)
    "liab_debts_open": 2,  # 101, 102
    "liab_debts_settled": 1,  # 103
    "liab_debts_written_off": 1,  # 104
    "liab_outstanding_total": 4_500_000,  # 3,600,000 + 900,000
    "liab_principal_open": 3_800_000,  # 3,000,000 + 800,000
    "liab_original_principal_total": 8_500_000,  # 5,000,000 + 1,000,000 + 2,000,000 + 500,000
    "liab_max_dpd": 836,  # 101
    "liab_dpd_over_90": 1,  # 101 (104 is written off, not open)
    "liab_products": 3,  # 消费贷 信用卡 车贷
    "liab_repaid_share": 0.4941,  # (8,500,000 - 4,300,000) / 8,500,000
    "liab_interest_fee_share": 0.1556,  # (4,500,000 - 3,800,000) / 4,500,000
    "liab_months_since_first_contract": 48,  # 103 on 2021-06-01
    # liabilities: credit in statements
    "liab_credit_repay_3m": 300_000,  # N3 (m0)
    "liab_credit_repay_12m": 600_000,  # + N4 200,000 (m3) + N5 100,000 (m9)
    "liab_credit_repay_36m": 600_000,
    "liab_credit_draw_3m": 1_000_000,  # N6 (m1)
    "liab_credit_draw_12m": 1_000_000,
    "liab_credit_draw_36m": 3_000_000,  # + N7 2,000,000 (m29)
    "liab_credit_draw_count_12m": 1,
    "liab_credit_repay_months_12m": 3,  # m0 m3 m9
    "liab_credit_lenders_12m": 3,  # 花呗, 招商银行信用卡中心, 蚂蚁借呗
    "liab_debt_service_ratio_12m": 0.0556,  # 600,000 / 10,800,000
    "liab_mortgage_total": 100_000_000,  # P1's mortgage (the only mortgaged property held)
}
