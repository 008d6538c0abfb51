// Debtor profile charts: monthly inflow/outflow bars and the spending-by-category pie (ECharts).
(function () {
  "use strict";
  var holder = document.getElementById("profile-chart-data");
  if (!holder || typeof echarts === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var charts = [];
  var flows = document.getElementById("chart-flows");
  if (flows && data.months.length) {
    var bar = echarts.init(flows, null, { renderer: "canvas" });
    bar.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.inflow, data.labels.outflow] },
      grid: { left: 70, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.labels.yuan },
      series: [
        { name: data.labels.inflow, type: "bar", data: data.inflow, itemStyle: { color: "#2e7d32" } },
        { name: data.labels.outflow, type: "bar", data: data.outflow, itemStyle: { color: "#c62828" } }
      ]
    });
    charts.push(bar);
    flows.setAttribute("data-rendered", "1");
  }
  var cats = document.getElementById("chart-categories");
  if (cats && data.categories.length) {
    var pie = echarts.init(cats, null, { renderer: "canvas" });
    pie.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: data.categories, label: { formatter: "{b}\n{d}%" } }]
    });
    charts.push(pie);
    cats.setAttribute("data-rendered", "1");
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
