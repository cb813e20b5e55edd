// Connects noVNC to the VM through the portal's WebSocket proxy, with the page's one-time ticket.
import RFB from '/novnc/core/rfb.js';

const screen = document.getElementById('screen');
const state = document.getElementById('console-state');
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const url = `${scheme}//${location.host}${screen.dataset.path}?token=${encodeURIComponent(screen.dataset.token)}`;

// The page gives the words in the reader's language (data-connected, data-disconnected, data-lost).
function show(value, word) {
  state.dataset.state = value;
  state.textContent = state.dataset[word];
}

const rfb = new RFB(screen, url, { wsProtocols: ['binary'] });
rfb.scaleViewport = true;
rfb.addEventListener('connect', () => show('connected', 'connected'));
rfb.addEventListener('disconnect', e => show('disconnected', e.detail.clean ? 'disconnected' : 'lost'));
document.getElementById('ctrl-alt-del').addEventListener('click', () => rfb.sendCtrlAltDel());
