"""The scoring engine: pure (no Django), pandas/numpy in, a trained model out.

Modules and their public functions (every module imports only `spec` and the modules above it):

data.py      read_table(path) -> pd.DataFrame                      CSV (UTF-8/BOM/GB18030) or XLSX
             prepare(df, spec: TrainSpec) -> Prepared               target, typing, drops, leakage guard
             prepare_for_scoring(df, features, categories) -> pd.DataFrame
             check_leakage(X, y, features) -> None                  raises LeakageError
             Prepared: X (DataFrame: numeric float64, categorical pandas "category" of str, NaN missing),
                       y (np.int8 0/1), time (Series of datetime64 | None), ids (Series | None),
                       features: list[FeatureInfo], dropped: list[Dropped], protected: DataFrame (str),
                       label: LabelDefinition, categories: dict[col, list[str]] (training levels)
split.py     split(prepared, spec) -> Split(train_idx, test_idx, method "time"|"stratified", cutoff)
             inner_split(y, time, seed, size) -> (fit_idx, valid_idx)     validation inside training
metrics.py   auc, ks, gini, choose_threshold, evaluate(y, p, threshold) -> dict,
             calibration_table(y, p, bins) -> list[dict], quantile_edges, psi(expected, actual, edges=None)
             psi_table(...) -> list[dict]
fairness.py  report(protected, prob, threshold, y=None, treatment=None) -> dict
scorecard.py ScorecardModel.fit(X, y, features, *, seed, monotone) / predict_proba / contributions /
             importance / table / to_dict / from_dict
gbm.py       GbmModel.fit(X, y, features, *, seed, monotone, X_valid, y_valid) / same interface
explain.py   reasons(features, row_values, row_contrib_points, top) -> list[Reason]
model.py     TrainedModel (score, save, load, to_payload, from_payload), points_from_prob
train.py     train(df, spec, progress=None) -> TrainedModel
card.py      card(model) -> dict (what the model card shows)

Estimator interface (scorecard.py and gbm.py): `predict_proba(X) -> (n,) P(y == 1)`;
`contributions(X) -> (n, n_features)` in log-odds of y == 1, relative to the training average so that
`logit(p) ≈ mean_logit + row.sum()` (exact for the scorecard; for the GBM, calibrated pred_contrib);
`importance() -> {feature: share}` summing to 1.
"""
