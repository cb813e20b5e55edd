// Follows a job's log while it runs, then reveals the FTP credentials once on OK.
(function () {
  const main = document.querySelector('main[data-job]');
  const jobId = main.dataset.job;
  const log = document.getElementById('log');
  const stateEl = document.getElementById('job-state');
  // A state in the reader's words, as the page says it (fragments/layout :: state-words).
  const words = document.getElementById('state-words').dataset;
  const said = state => words[state.toLowerCase()] || state;
  let lastId = 0;
  log.querySelectorAll('span[data-id]').forEach(s => { lastId = Math.max(lastId, Number(s.dataset.id)); });

  function append(line) {
    const span = document.createElement('span');
    span.dataset.id = line.id;
    span.className = 'log-' + line.level.toLowerCase();
    span.textContent = line.timestamp + ' ' + line.level + ' [' + line.step + '] ' + line.message + '\n';
    log.appendChild(span);
    lastId = line.id;
  }

  function finished(state) {
    stateEl.textContent = said(state);
    stateEl.className = 'state state-' + state.toLowerCase();
    if (!document.getElementById('exit-status')) {
      const exit = document.createElement('span');
      exit.id = 'exit-status';
      exit.textContent = ' ' + stateEl.dataset.exit.replace('{0}', state);
      stateEl.after(exit);
    }
    // A reset's new password is only for whoever asked for it: nobody else's page even asks.
    if (state === 'OK' && main.dataset.reveal !== 'false') {
      reveal();
    }
  }

  function reveal() {
    const csrf = document.getElementById('csrf');
    fetch('/jobs/' + jobId + '/credentials', { method: 'POST', headers: { [csrf.name]: csrf.value } })
      .then(r => r.ok ? r.json() : null)
      .then(c => {
        if (!c) { return; }
        document.getElementById('ftp-host').textContent = c.host;
        document.getElementById('ftp-user').textContent = c.username;
        document.getElementById('ftp-password').textContent = c.password;
        document.getElementById('credentials').hidden = false;
      });
  }

  function poll() {
    fetch('/jobs/' + jobId + '/log?after=' + lastId, { headers: { Accept: 'application/json' } })
      .then(r => r.json())
      .then(chunk => {
        chunk.lines.forEach(append);
        if (chunk.state === 'OK' || chunk.state === 'KO') {
          finished(chunk.state);
        } else {
          stateEl.textContent = said(chunk.state);
          setTimeout(poll, 300);
        }
      })
      .catch(() => setTimeout(poll, 2000));
  }
  poll();
})();
