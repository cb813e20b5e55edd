// Connects xterm.js to the jail's console through the portal's WebSocket proxy, with the page's one-time ticket.
import { Terminal } from '/xterm/xterm.mjs';

const element = document.getElementById('terminal');
const state = document.getElementById('console-state');
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const url = `${scheme}//${location.host}${element.dataset.path}?token=${encodeURIComponent(element.dataset.token)}`;

// The page gives the words in the reader's language (data-connected, data-disconnected, data-lost).
function show(value, word) {
  state.dataset.state = value;
  state.textContent = state.dataset[word];
}

const terminal = new Terminal({ cursorBlink: true, rows: 30 });
terminal.open(element);
const socket = new WebSocket(url, ['binary']);
socket.binaryType = 'arraybuffer';
const encoder = new TextEncoder();
socket.addEventListener('open', () => { show('connected', 'connected'); terminal.focus(); });
socket.addEventListener('close', e => show('disconnected', e.wasClean ? 'disconnected' : 'lost'));
socket.addEventListener('message', e => terminal.write(new Uint8Array(e.data)));
terminal.onData(data => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(data)));
