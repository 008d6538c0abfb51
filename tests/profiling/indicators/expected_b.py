"""Hand-derived values for debtor 1 of fixture.py: assets, enterprise, legal, credit, contactability,
relations, willingness. Reasoned from the literal rows (labels as in fixture.py), never from the engine."""

EXPECTED_B = {
    # assets: property. Held by the debtor: P1 (mortgaged, 300,000,000), P4 (seized, 80,000,000), P5
    # (60,000,000; its transfer is after as_of). P2 and P7 were transferred; P3, P6, P8 are others'.
    "ast_property_count": 3,
    "ast_property_value": 440_000_000,  # 300M + 80M + 60M
    "ast_property_mortgaged_count": 1,  # P1
    "ast_property_seized_count": 1,  # P4
    "ast_property_acquisitions_36m": 2,  # P2 (m28), P4 (m34); P7's acquisition is 2021
    "ast_property_transfers_12m": 1,  # P2 (m8)
    "ast_property_transfers_36m": 2,  # + P7 (m33)
    "ast_property_low_price_transfers_36m": 1,  # P2: 50M < 70% of 220M; P7 at full value
    # assets: vehicles. Held: 沪A12345 (30M), 沪B67890 (50M, mortgaged), 沪D33333 (8M, seized).
    "ast_vehicle_count": 3,
    "ast_vehicle_value": 88_000_000,
    "ast_vehicle_mortgaged_count": 1,  # 沪B67890
    "ast_vehicle_seized_count": 1,  # 沪D33333
    "ast_vehicle_acquisitions_36m": 1,  # 沪B67890 (m15)
    "ast_vehicle_transfers_12m": 1,  # 沪C11111 (m3)
    "ast_vehicle_transfers_36m": 1,
    "ast_vehicle_low_price_transfers_36m": 1,  # 沪C11111: 1M < 70% of 10M
    "ast_property_equity": 340_000_000,  # 440M - P1's 100M mortgage
    "ast_property_transfer_value_36m": 260_000_000,  # P2 220M + P7 40M
    # assets: statements
    "ast_investment_rows_12m": 2,  # N8, N9
    "ast_investment_volume_12m": 500_000,  # 300,000 + 200,000
    "ast_payment_sources": 3,  # bank:icbc-debit, alipay, wechat
    "ast_funding_channels_12m": 6,  # 花呗 招商银行(1234) 余额 零钱 信用卡(9012) 美团月付
    # enterprise. Latest rows: 青松 active, legal rep, 100M/20M, 60%; 远山 revoked, shareholder, 50M/50M, 10%;
    # 星河 active, director, 30M/0, no stake; 旧城 cancelled, shareholder, 10M/unknown, 50%. B7 is after as_of.
    "ent_companies": 4,
    "ent_active_companies": 2,  # 青松, 星河
    "ent_legal_rep_count": 1,  # 青松
    "ent_shareholder_count": 2,  # 远山, 旧城
    "ent_officer_count": 1,  # 星河 (director)
    "ent_revoked_count": 1,  # 远山
    "ent_cancelled_count": 1,  # 旧城
    "ent_registered_capital_active": 130_000_000,  # 100M + 30M
    "ent_paid_in_active": 20_000_000,  # 20M + 0
    "ent_subscribed_stake": 60_000_000,  # 青松 100M x 60% (星河: no stake)
    "ent_unpaid_capital_share": 48_000_000,  # 青松 (100M - 20M) x 60%; 远山 0; 旧城 paid-in unknown
    "ent_max_stake_pct": 60.0,
    "ent_controlling_count": 2,  # 青松 60%, 旧城 50%
    "ent_established_36m": 1,  # 星河 2023-12-01 (m18)
    "ent_oldest_company_years": 15,  # 旧城 2010-01-01: 15.45 years
    "ent_changes_12m": 2,  # B2 (m7), B5 (m1)
    "ent_changes_36m": 3,  # + B8 (m30)
    "ent_shareholder_changes_36m": 1,  # B2
    "ent_legal_rep_changes_36m": 1,  # B5
    "ent_capital_changes_36m": 0,  # B7 is after as_of
    "ent_status_changes_36m": 1,  # B8
    # legal. C1's older "open" listing is superseded by its closed one; C11 is after as_of.
    "leg_suits_defendant": 2,  # C1, C2
    "leg_suits_open_defendant": 1,  # C2
    "leg_suits_defendant_12m": 1,  # C2 (m2)
    "leg_suits_defendant_36m": 2,  # + C1 (m15)
    "leg_suit_amount_defendant": 4_500_000,  # 3,000,000 + 1,500,000
    "leg_suit_amount_open_defendant": 1_500_000,  # C2
    "leg_enforcement_cases": 2,  # C3, C4
    "leg_enforcement_open": 1,  # C4: closed on 2025-06-20, after as_of
    "leg_enforcement_terminated": 1,  # C3 (终本)
    "leg_enforcement_outstanding": 2_900_000,  # C3 2,500,000 + C4 400,000
    "leg_enforcement_12m": 2,  # C3 (m8), C4 (m1)
    "leg_enforcement_36m": 2,
    "leg_enforcement_performed_share": 0.275,  # (4,000,000 - 2,900,000) / 4,000,000
    "leg_dishonest": True,  # C5 open
    "leg_dishonest_count": 1,
    "leg_consumption_restricted": False,  # C6 lifted on 2025-03-01
    "leg_judgments_against": 1,  # C7
    "leg_judgment_amount": 3_200_000,
    "leg_courts": 3,  # 浦东, 黄浦, 苏州虎丘
    "leg_days_since_last_filing": 45,  # C4 filed 2025-05-01
    "leg_claims_as_creditor": 2,  # C8 plaintiff, C9 applicant
    "leg_claim_amount_as_creditor": 1_500_000,  # 800,000 + 700,000
    # credit: payments (PM3 reversed, PM7 after as_of)
    "cr_payments_3m": 2,  # PM1, PM2
    "cr_payments_6m": 3,  # + PM4
    "cr_payments_12m": 4,  # + PM5
    "cr_payments_36m": 5,  # + PM6
    "cr_paid_3m": 300_000,  # 200,000 + 100,000
    "cr_paid_6m": 450_000,  # + 150,000
    "cr_paid_12m": 750_000,  # + 300,000
    "cr_paid_36m": 1_150_000,  # + 400,000
    "cr_paid_total": 1_150_000,
    "cr_reversed_payments_12m": 1,  # PM3
    "cr_days_since_last_payment": 5,  # PM1 2025-06-10
    "cr_payment_months_12m": 4,  # m0 m1 m4 m8
    "cr_avg_payment_12m": 187_500,  # 750,000 / 4
    "cr_paid_trend_12m": 150_000,  # m0..m5 450,000 - m6..m11 300,000
    "cr_paid_share_of_principal": 0.1353,  # 1,150,000 / 8,500,000
    # credit: promises (PR8 after as_of)
    "cr_promises_12m": 6,  # PR1-PR6
    "cr_promises_36m": 7,  # + PR7
    "cr_promises_kept_12m": 1,  # PR1
    "cr_promises_broken_12m": 2,  # PR2, PR3
    "cr_promise_kept_rate_12m": 0.3333,  # 1 / 3
    "cr_promise_kept_rate_36m": 0.5,  # 2 / 4
    "cr_promised_amount_12m": 800_000,  # 100k + 200k + 100k + 150k + 200k + 50k
    "cr_promise_paid_amount_12m": 150_000,  # 100,000 + 50,000
    "cr_promise_fulfilment_12m": 0.375,  # kept/broken: 150,000 / 400,000
    "cr_open_promises": 1,  # PR5 due 2025-06-30
    "cr_lapsed_open_promises": 1,  # PR4 due 2025-05-10
    "cr_days_since_last_broken_promise": 120,  # PR3 due 2025-02-15
    # contactability: contacts K1-K6
    "ct_phones_total": 3,  # K1 K2 K3
    "ct_phones_valid": 2,  # K1 K3
    "ct_wrong_numbers": 1,  # K2
    "ct_refused_contacts": 1,  # K5
    "ct_emergency_valid": 2,  # K4 K6
    "ct_emergency_with_consent": 1,  # K4
    "ct_has_primary_valid": True,  # K1
    # contactability: activities (A13 is a note; A14 after as_of; RPC: A1 A3 A4 A8 A10, A12 is m12)
    "ct_attempts_3m": 6,  # A1 A2 A3 A4 A5 A6
    "ct_attempts_12m": 11,  # + A7 A8 A9 A10 A11
    "ct_calls_3m": 5,  # A1 A2 A3 A4 A6
    "ct_calls_12m": 8,  # + A7 A10 A11
    "ct_rpc_3m": 3,  # A1 A3 A4
    "ct_rpc_12m": 5,  # + A8 A10
    "ct_rpc_rate_3m": 0.6,  # 3 RPC calls / 5 calls
    "ct_rpc_rate_12m": 0.5,  # A1 A3 A4 A10 / 8 calls (A8 is a visit)
    "ct_no_answer_rate_12m": 0.25,  # A2 A11 / 8
    "ct_wrong_number_outcomes_12m": 1,  # A7
    "ct_days_since_last_rpc": 1,  # A1 2025-06-14
    "ct_days_since_last_attempt": 0,  # A2 on the as-of day
    "ct_visits_12m": 1,  # A8
    "ct_letters_12m": 1,  # A9
    "ct_third_party_contacts_12m": 1,  # A11
    # relations: marriage M1 (2015), divorce M2 (2024-09-20, m9, with agreement), marriage M3 (2025-03-01)
    "rel_married": True,  # latest event M3
    "rel_divorced": False,
    "rel_divorces_12m": 1,
    "rel_divorces_36m": 1,
    "rel_marriages_36m": 1,  # M3
    "rel_days_since_divorce": 268,  # 2024-09-20 -> 2025-06-15
    "rel_divorce_with_agreement_36m": 1,  # M2 房产归女方
    "rel_property_transfers_related_12m": 1,  # P2 to ex_spouse (m8)
    "rel_property_transfers_related_36m": 1,  # P7 went to a stranger
    "rel_property_transfers_spouse_36m": 1,  # P2
    "rel_property_held_by_spouse": 1,  # P3
    "rel_property_held_by_relatives": 1,  # P8
    "rel_property_held_by_company": 1,  # P6
    "rel_vehicle_transfers_related_36m": 1,  # 沪C11111 to 李父 (relative)
    "rel_vehicle_held_by_family": 1,  # 苏E22222 (spouse)
    "rel_transfers_to_spouse_12m": 4_500_000,  # S7 王小红 4,000,000 + S8 *小红 (masked) 500,000
    "rel_transfers_to_spouse_36m": 5_300_000,  # + S13 800,000
    "rel_transfers_to_own_companies_12m": 600_000,  # S9 to 青松
    "rel_transfers_to_own_companies_36m": 1_600_000,  # + S18 to 远山
    "rel_receipts_from_own_companies_12m": 800_000,  # T6 from 青松
    # willingness
    "wil_promise_outcomes_12m": 1,  # A3
    "wil_promise_rate_12m": 0.2,  # 1 / 5 RPC
    "wil_refusals_3m": 1,  # A4
    "wil_refusals_12m": 1,
    "wil_refusal_rate_12m": 0.2,  # 1 / 5 RPC
    "wil_dispute_outcomes_12m": 1,  # A8
    "wil_paid_outcomes_12m": 1,  # A10
    "wil_disputes_total": 3,  # DS1 DS2 DS3 (DS4 after as_of)
    "wil_disputes_open": 2,  # DS2 unresolved, DS3 resolved after as_of
    "wil_disputes_12m": 2,  # DS1 (m5), DS2 (m1)
    "wil_paid_after_contact_12m": 3,  # PM1 (A3 2 days before), PM2 (A4), PM5 (A10); PM4 is 13 days after A8
    "wil_contact_to_payment_rate_12m": 0.6,  # A3->PM1, A4->PM2, A10->PM5; not A1 (PM7 after as_of), not A8
    "wil_consecutive_broken_promises": 2,  # PR2, PR3 due after PR1 (the latest kept)
    "wil_days_since_last_promise": 5,  # PR5 created 2025-06-10
    "wil_cancelled_promises_12m": 1,  # PR6
    "wil_paid_to_income_12m": 0.0694,  # 750,000 / 10,800,000
    "wil_paid_to_credit_repay_12m": 1.25,  # 750,000 / 600,000
}
