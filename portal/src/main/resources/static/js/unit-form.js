// Shows the VM fields only when the operator chose a VM.
(function () {
  const form = document.getElementById('unit-form');
  const vmOnly = form.querySelector('.vm-only');
  function sync() {
    const kind = form.querySelector('input[name="kind"]:checked');
    vmOnly.hidden = !kind || kind.value !== 'VM';
  }
  form.querySelectorAll('input[name="kind"]').forEach(radio => radio.addEventListener('change', sync));
  sync();
})();
