/* CareBridge search worker: the entry part, last of searchsite.WORKER_PARTS, which the build puts
   into one script (assets/javascripts/carebridge-search.js) inside one function, so the parts share
   the index and the query's words. It answers Material's search messages (SETUP 0, READY 1, QUERY 2,
   RESULT 3), so Material's search box, results list and keys stay as they are. No eval, no inline
   script: a CSP of script-src 'self' (worker-src defaults to it) is enough. */
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
let latest = 0;

async function search(query) {
  const parsed = parse(query);
  if (!parsed.q) return { items: [] };
  await loadShards(neededShards(parsed));
  let wanted = units(parsed);
  if (!wanted.length) return { items: [] };
  await loadShards(wanted.flatMap(u => u.alts.flat())
    .flatMap(t => [shardOf(t.word), ...t.prefix ? prefixKeys(t.prefix) : []]).filter(Boolean));
  wanted = await joinApart(wanted);
  await splitJoined(wanted);
  wanted = await joinSyllables(wanted);
  await mendPinyin(wanted);
  await mendTypos(wanted);
  await mendSounds(wanted, false);
  let [top, ranked] = await rankOrLoosen(parsed, wanted);
  /* Nothing at all: a Chinese word the index does not hold may be a homophone even where its parts
     are found, but apart (on pages that never say them together). */
  if (!top.length && await mendSounds(wanted, true)) [top, ranked] = await rankOrLoosen(parsed, wanted);
  /* Still nothing: the pages that say the other words, each lacking a word whose parts it says
     apart (that word shows as missing) rather than no answer at all. */
  if (!top.length) [top, ranked] = [await rank(parsed, wanted, true), wanted];
  return { items: top.map(e => group(e, ranked)) };
}

/* The units ranked; when no page says a Chinese run as one phrase, its words ranked apart. */
async function rankOrLoosen(parsed, wanted) {
  const top = await rank(parsed, wanted);
  const apart = top.length ? null : loosen(wanted);
  return apart ? [await rank(parsed, apart), apart] : [top, wanted];
}

addEventListener("message", async ev => {
  const message = ev.data;
  if (message.type === SETUP) {
    try { await load([`${base}manifest.js`]); } catch (err) { console.warn("search index not loaded", err); }
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    let data = { items: [] };
    try { if (manifest) data = await search(String(message.data || "")); }
    catch (err) { console.warn("search failed", err); }
    if (ticket === latest) postMessage({ type: RESULT, data });
  }
});
