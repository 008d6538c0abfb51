"""Court documents generated from case data: demand and lawyer's letters, payment-order, complaint,
preservation and enforcement applications, mediation and repayment agreements, as PDF and DOCX.

- numerals: amounts in figures and in Chinese capital numerals (pure);
- catalog: the kinds of document, their titles, party roles and whether they need a court (pure);
- parties: the party blocks of the creditor and the debtor (person or enterprise);
- context: a case turned into a template context;
- render: the templates (editable copies in QINGZHAI_LEGAL_TEMPLATES_DIR) rendered to PDF and DOCX.
"""
