// Follows every job of a batch, like the job page follows its log: poll until none is queued or running.
(function () {
  const main = document.querySelector('main[data-batch]');
  const batchId = main.dataset.batch;
  // A state in the reader's words, as the page says it (fragments/layout :: state-words).
  const words = document.getElementById('state-words').dataset;

  function show(chunk) {
    chunk.items.forEach((item, i) => {
      const row = document.querySelector('#batch-items tr[data-index="' + i + '"]');
      if (!row || !item.state) { return; }
      const state = row.querySelector('.item-state span');
      state.textContent = words[item.state.toLowerCase()] || item.state.toLowerCase();
      state.className = 'state state-' + item.state.toLowerCase();
    });
    ['queued', 'running', 'ok', 'ko', 'skipped'].forEach(k => {
      document.getElementById('count-' + k).textContent = chunk.summary[k];
    });
  }

  function poll() {
    fetch('/batches/' + batchId + '/status', { headers: { Accept: 'application/json' } })
      .then(r => r.json())
      .then(chunk => {
        show(chunk);
        if (chunk.summary.queued === 0 && chunk.summary.running === 0) {
          document.getElementById('batch-done').hidden = false;
        } else {
          setTimeout(poll, 500);
        }
      })
      .catch(() => setTimeout(poll, 2000));
  }
  poll();
})();
