// usage: node run.js SITE < queries.json  ([[prefix, query], ...]) -> [[hrefs...], ...]
const fs = require("fs"), vm = require("vm"), path = require("path");
const site = path.resolve(process.argv[2]);  // a file:// URL needs an absolute path ("site" would be its host)
const src = fs.readFileSync(path.join(site, "assets/javascripts/carebridge-search.js"), "utf8");
function worker(prefix) {
  let listener = null, resolveMsg = null;
  const ctx = {
    console, URL, Promise, Map, Set, Math, JSON, Array, Object, String, RegExp, Number, Error,
    location: { href: `file://${path.join(site, prefix, "assets/javascripts/carebridge-search.js")}`, protocol: "file:" },
    addEventListener: (t, f) => { listener = f; },
    postMessage: m => { if (resolveMsg) resolveMsg(m); },
  };
  ctx.self = ctx;
  ctx.importScripts = (...urls) => { for (const u of urls) { const p = new URL(u).pathname; if (fs.existsSync(p)) vm.runInContext(fs.readFileSync(p, "utf8"), ctx); } };
  vm.createContext(ctx);
  vm.runInContext(src, ctx);
  const send = data => new Promise(r => { resolveMsg = r; listener({ data }); });
  return { setup: () => send({ type: 0 }), query: q => send({ type: 2, data: q }) };
}
(async () => {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const workers = {};
  const out = [];
  for (const [prefix, q] of queries) {
    if (!workers[prefix]) { workers[prefix] = worker(prefix); await workers[prefix].setup(); }
    const res = await workers[prefix].query(q);
    out.push(res.data.items.map(g => g[0].location));
  }
  process.stdout.write(JSON.stringify(out));
})();
