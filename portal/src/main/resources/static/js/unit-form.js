// Shows the VM fields only when the operator chose a VM, and offers only the templates of the
// chosen node and kind that fit the disk size typed (the server checks all of it again).
(function () {
  const form = document.getElementById('unit-form');
  const vmOnly = form.querySelector('.vm-only');
  const template = form.querySelector('#template');
  const disk = form.querySelector('input[name="diskSize"]');
  const node = form.querySelector('#node');
  const plan = form.querySelector('#plan');
  const units = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
  function diskBytes() {
    const m = /^\s*(\d+)\s*([KMGT])i?B?\s*$/i.exec(disk.value);
    return m ? Number(m[1]) * units[m[2].toUpperCase()] : null;
  }
  function sync() {
    const kind = form.querySelector('input[name="kind"]:checked');
    const chosen = kind ? kind.value : 'JAIL';
    vmOnly.hidden = chosen !== 'VM';
    // Only the plans of the chosen kind.
    plan.querySelectorAll('option[data-kind]').forEach(option => {
      const fits = option.dataset.kind === chosen;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) {
        plan.value = '';
      }
    });
    const size = diskBytes();
    template.querySelectorAll('option[data-kind]').forEach(option => {
      const fits = option.dataset.node === node.value && option.dataset.kind === chosen
          && (size === null || size >= Number(option.dataset.minDisk));
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) {
        template.value = '';
      }
    });
  }
  form.querySelectorAll('input[name="kind"]').forEach(radio => radio.addEventListener('change', sync));
  disk.addEventListener('input', sync);
  node.addEventListener('change', sync);
  sync();
})();
