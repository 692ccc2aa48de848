/* CareBridge search, the index (the worker is made of parts: searchsite.WORKER_PARTS): the sharded
   index that carebridge.site.searchindex writes into search/cb/, loaded as it is needed. A query
   loads the manifest once, then only the shards of its words and the pages it shows. Every index
   file is a script, so importScripts loads it in a worker over HTTP and the iframe-worker shim
   loads it from file://. */
const PREFIX_SHARDS = 6;
const shards = new Map(), pages = new Map();
let manifest = null, keys = new Set(), maxKey = 1, stop = new Set(), asks = new Set(), medicines = new Set();
let variants = new Map();
self.cbManifest = data => {
  manifest = data;
  keys = new Set(data.keys);
  maxKey = Math.max(1, ...data.keys.map(k => k.length));
  stop = new Set(data.stop);
  asks = new Set(data.cjkAsk || []);
  medicines = new Set(data.drugs || []);
  const pairs = [...(data.variants || "")];
  variants = new Map(pairs.flatMap((c, i) => i % 2 ? [] : [[c, pairs[i + 1]]]));
};
self.cbShard = (key, data) => shards.set(key, data);
self.cbPage = (page, data) => pages.set(page, data);

/* The index sits at search/cb/ beside assets/javascripts/ (in the shim, find our own script). */
const here = typeof document !== "undefined"
  ? document.querySelector("script[src*='carebridge-search']").src : self.location.href;
const base = new URL("../../search/cb/", here).href;
const shardName = key => /^[a-z0-9]+$/.test(key)
  ? key : "_" + [...key].map(c => c.codePointAt(0).toString(16)).join("_");

/* Over HTTP, fetch every file at once and read its JSON (importScripts loads one after the
   other); from file://, where fetch is blocked, the shim's importScripts runs them as scripts. */
const handlers = { cbManifest: self.cbManifest, cbShard: self.cbShard, cbPage: self.cbPage };
async function fetchScript(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const text = await response.text();
  const open = text.indexOf("("), close = text.lastIndexOf(")");
  handlers[text.slice(0, open)](...JSON.parse(`[${text.slice(open + 1, close)}]`));
}
async function load(urls) {
  if (!urls.length) return;
  if (typeof document === "undefined" && /^https?:$/.test(self.location.protocol))
    await Promise.all(urls.map(fetchScript));
  else
    await importScripts(...urls);
}
const loadShards = wanted => load([...new Set(wanted)].filter(k => keys.has(k) && !shards.has(k))
  .map(k => `${base}s/${shardName(k)}.js`));
const loadPages = wanted => load(wanted.filter(p => !pages.has(p)).map(p => `${base}f/${p}.js`));
/* The shard holding a word: the longest shard key it starts with. */
function shardOf(word) {
  for (let n = Math.min(word.length, maxKey); n > 0; n--)
    if (keys.has(word.slice(0, n))) return word.slice(0, n);
  return null;
}
function postings(word) {
  const key = shardOf(word);
  const shard = key && shards.get(key);
  return shard && Object.prototype.hasOwnProperty.call(shard, word) ? shard[word] : null;
}
/* Shards a run of Han characters needs: at each character, every key the rest starts with. */
function hanKeys(run) {
  const out = [];
  for (let i = 0; i < run.length; i++)
    for (let n = 1; n <= maxKey && i + n <= run.length; n++)
      if (keys.has(run.slice(i, i + n))) out.push(run.slice(i, i + n));
  return out;
}
function prefixKeys(word) {
  const own = shardOf(word);
  const deeper = [...keys].filter(k => k.length > word.length && k.startsWith(word));
  return deeper.length > PREFIX_SHARDS ? [own] : [own, ...deeper];
}
