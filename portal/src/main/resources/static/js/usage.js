// Draws a unit's usage charts (uPlot, served by the portal as a WebJar) from /units/{id}/usage.
(function () {
  const section = document.getElementById('usage');
  if (!section || typeof uPlot === 'undefined') {
    return;
  }
  const unit = section.dataset.unit;
  const charts = [];

  function bytes(v) {
    if (v == null) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }

  function axisOf(format) {
    return [{}, { size: 70, values: (u, ticks) => ticks.map(format) }];
  }

  function chart(id, data, series, format) {
    const el = document.getElementById(id);
    el.textContent = '';
    const width = Math.max(300, Math.min(560, el.parentElement.clientWidth || 560));
    const plot = new uPlot({
      width: width, height: 180,
      series: [{}].concat(series.map(s => ({ label: s.label, stroke: s.color, width: 1.5,
        value: (u, v) => format(v) }))),
      axes: axisOf(format),
      scales: { x: { time: true } }
    }, data, el);
    charts.push(plot);
  }

  function draw(usage) {
    charts.splice(0).forEach(c => c.destroy());
    document.getElementById('usage-empty').hidden = usage.time.length > 0;
    const t = usage.time;
    const pct = v => v == null ? '' : v.toFixed(1) + ' %';
    const rate = v => v == null ? '' : bytes(v) + '/s';
    chart('chart-cpu', [t, usage.cpuPercent], [{ label: 'CPU', color: '#c0392b' }], pct);
    chart('chart-memory', [t, usage.memoryBytes], [{ label: 'memory', color: '#2980b9' }], bytes);
    chart('chart-disk', [t, usage.diskUsedBytes], [{ label: 'used', color: '#8e44ad' }], bytes);
    chart('chart-net', [t, usage.netInBytesPerSecond, usage.netOutBytesPerSecond],
      [{ label: 'in', color: '#27ae60' }, { label: 'out', color: '#d35400' }], rate);
    chart('chart-io', [t, usage.diskReadBytesPerSecond, usage.diskWriteBytesPerSecond],
      [{ label: 'read', color: '#16a085' }, { label: 'write', color: '#7f8c8d' }], rate);
    section.dataset.points = String(t.length);
  }

  function load(range) {
    section.querySelectorAll('#usage-ranges button').forEach(b =>
      b.classList.toggle('selected', b.dataset.range === range));
    fetch('/units/' + unit + '/usage?range=' + range, { headers: { Accept: 'application/json' } })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(draw)
      .catch(status => { document.getElementById('usage-empty').hidden = false; });
  }

  section.querySelectorAll('#usage-ranges button').forEach(b =>
    b.addEventListener('click', () => load(b.dataset.range)));
  load('hour');
})();
