// Draws staff's revenue per month (uPlot WebJar) from the table the page already has: net of
// invoices less credit notes, one point per month of issue.
(function () {
  const el = document.getElementById('revenue-chart');
  const rows = document.querySelectorAll('#revenue-table tbody tr');
  if (!el || typeof uPlot === 'undefined' || rows.length === 0) {
    return;
  }
  const time = [];
  const net = [];
  rows.forEach(row => {
    time.push(Date.parse(row.dataset.month + '-01T00:00:00Z') / 1000);
    net.push(Number(row.dataset.net));
  });
  const euros = v => v == null ? '' : v.toFixed(2) + ' EUR';
  new uPlot({
    width: Math.max(300, Math.min(720, el.parentElement.clientWidth || 720)), height: 220,
    series: [{}, { label: 'net revenue', stroke: '#2980b9', fill: 'rgba(41,128,185,0.15)', width: 2,
      points: { show: true }, value: (u, v) => euros(v) }],
    axes: [{}, { size: 80, values: (u, ticks) => ticks.map(euros) }],
    scales: { x: { time: true } }
  }, [time, net], el);
  el.dataset.points = String(time.length);
})();
