/* Part of the vendored iframe-worker shim (MIT, (c) Martin Donath; see iframe-worker-shim.js):
   the worker's globals, defined inside the iframe by this file instead of an inline script, so
   that the pages' Content-Security-Policy can refuse every inline script it does not know. */
self.postMessage = function (s, n) { parent.postMessage(s, n || "*") };
self.importScripts = function (...s) {
  return s.reduce((n, e) => n.then(() => new Promise(r => {
    let t = document.createElement("script"); t.src = e, t.onload = r, document.body.appendChild(t)
  })), Promise.resolve())
};
addEventListener("error", ({ error }) => {
  parent.dispatchEvent(new ErrorEvent("error", { filename: frameElement.dataset.url, error }))
});
