// Legal pages: the event form shows only the facts the chosen event takes; the KPI bar chart (ECharts).
(function () {
  "use strict";
  function syncFacts(form) {
    var map;
    try { map = JSON.parse(form.getAttribute("data-facts") || "{}"); } catch (e) { return; }
    var select = form.querySelector(".event-select select");
    if (!select) return;
    var wanted = map[select.value] || [];
    form.querySelectorAll(".field.fact").forEach(function (field) {
      var input = field.querySelector("input, select, textarea");
      if (!input) return;
      var name = input.name.split("-").pop();
      var show = wanted.indexOf(name) !== -1 || field.classList.contains("invalid");
      field.hidden = !show;
    });
  }
  function syncAll(root) {
    (root || document).querySelectorAll("form[data-facts]").forEach(syncFacts);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-facts]");
    if (form && event.target.closest(".event-select")) syncFacts(form);
  });
  document.addEventListener("htmx:afterSwap", function () { syncAll(document); });
  syncAll(document);

  var holder = document.getElementById("legal-kpi-data");
  var box = document.getElementById("chart-bands");
  if (!holder || !box || typeof echarts === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var chart = echarts.init(box, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.count, data.labels.success] },
    grid: { left: 50, right: 50, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.bands },
    yAxis: [
      { type: "value", name: data.labels.count, minInterval: 1 },
      { type: "value", name: data.labels.success, min: 0, max: 100 }
    ],
    series: [
      { name: data.labels.count, type: "bar", data: data.counts, itemStyle: { color: "#1d4e89" } },
      { name: data.labels.success, type: "bar", yAxisIndex: 1, data: data.success, itemStyle: { color: "#1e7b34" } }
    ]
  });
  box.setAttribute("data-rendered", "1");
  window.addEventListener("resize", function () { chart.resize(); });
})();
