/* CareBridge search, ranking: sections hold words; a page matches when every unit matches in it.
   Pages are scored, the best loaded and checked, and grouped into Material's results with snippets. */
const MAX_PAGES = 10, MAX_SECTIONS = 4, SNIPPET = 160;

function wordPlaces(token) {
  const lists = [];
  const exact = postings(token.word);
  if (exact) lists.push([exact, 1, token.word]);
  if (token.prefix)
    for (const key of prefixKeys(token.prefix))
      for (const [word, list] of Object.entries(shards.get(key) || {}))
        if (word !== token.word && word.startsWith(token.prefix)) lists.push([list, 0.5, word]);
  const places = new Map();
  for (const [list, factor, word] of lists) {
    const seen = new Set();
    for (let i = 0, page = 0; i < list.length; i += 3) { page += list[i]; seen.add(page); }
    const idf = Math.log(1 + manifest.pages / seen.size);
    for (let i = 0, page = 0; i < list.length; i += 3) {
      page += list[i];
      const key = `${page}:${list[i + 1]}`;
      const score = list[i + 2] * idf * factor;
      const had = places.get(key);
      if (!had || had.score < score) places.set(key, { score, word });
    }
  }
  return places;
}
/* Pages where every word of one of the unit's alternatives occurs: page -> {score, sections}. */
function unitPlaces(unit) {
  const best = new Map();
  for (const alt of unit.alts) {
    const found = new Map();
    alt.forEach((token, t) => {
      for (const [key, value] of wordPlaces(token)) {
        const [page, section] = key.split(":").map(Number);
        const entry = found.get(page) || { tokens: new Set(), top: new Array(alt.length).fill(0), sections: new Map() };
        found.set(page, entry);
        entry.tokens.add(t);
        entry.top[t] = Math.max(entry.top[t], value.score);
        const s = entry.sections.get(section) || { score: 0, words: [], tokens: new Set() };
        s.score += value.score;
        s.words.push(value.word);
        s.tokens.add(t);
        entry.sections.set(section, s);
      }
    });
    const text = alt.map(t => t.text).join(alt.some(t => /^[a-z0-9]/.test(t.text)) ? " " : "");
    for (const [page, entry] of found) {
      if (entry.tokens.size < alt.length) continue;
      let score = entry.top.reduce((a, b) => a + b, 0);
      if (alt.near && alt.length > 1) {  // the parts of one Chinese word must meet in one section
        const whole = [...entry.sections].filter(([, s]) => s.tokens.size === alt.length);
        if (!whole.length) continue;
        entry.sections = new Map(whole);
        score = Math.max(...whole.map(([, s]) => s.score));
      }
      /* Parts of one Chinese word must also stand together: checked on the page's text (search). */
      const phrase = alt.near && alt.length > 1 ? compact(text) : "";
      const had = best.get(page);
      if (!had || (had.phrase && !phrase) || (!had.phrase === !phrase && had.score < score))
        best.set(page, { score, sections: entry.sections, text, phrase });
    }
  }
  return best;
}

async function rank(parsed, wanted, partly = false) {
  const perUnit = wanted.map(unitPlaces);
  const byPage = new Map();
  perUnit.forEach((places, u) => {
    for (const [page, info] of places) {
      const entry = byPage.get(page) || { page, units: new Map(), sections: new Map() };
      byPage.set(page, entry);
      entry.units.set(u, info.score);
      for (const [section, hit] of info.sections) {
        const s = entry.sections.get(section) || { score: 0, hits: new Map() };
        s.score += hit.score;
        s.hits.set(u, { score: hit.score, words: hit.words, text: info.text });
        entry.sections.set(section, s);
      }
    }
  });
  const entries = [...byPage.values()];
  const most = Math.max(0, ...entries.map(e => e.units.size));
  const chosen = entries.filter(e => e.units.size === most && most > 0);
  for (const e of chosen) e.score = [...e.units.values()].reduce((a, b) => a + b, 0);
  const protocol = e => e.page < manifest.protocols ? 1 : 0;
  chosen.sort((a, b) => protocol(b) - protocol(a) || b.score - a.score || a.page - b.page);
  /* Several words: look at twice as many pages for the ones that say them together. */
  const want = wanted.length > 1 ? 2 * MAX_PAGES : MAX_PAGES;
  let top = [];
  const partial = [];  // pages where a Chinese word's parts stand apart: that word is not found there
  for (let from = 0; top.length < want && from < chosen.length && from < 3 * MAX_PAGES; from += MAX_PAGES) {
    const batch = chosen.slice(from, from + MAX_PAGES);
    await loadPages(batch.map(e => e.page));
    for (const e of batch) {
      const data = pages.get(e.page);
      e.text = compact([data.t, ...data.s.map(s => s[1] + " " + s[2])].join(" "));
      const apart = perUnit.flatMap((places, u) => { const info = places.get(e.page); return info && info.phrase && !e.text.includes(info.phrase) ? [u] : []; });
      if (!apart.length) { if (top.length < want) top.push(e); continue; }
      if (!partly || apart.length === e.units.size) continue;
      /* The last try (``partly``): the other words still match, so the page is an answer, and the
         word it lacks shows as missing (肌注 in 缩宫素 肌注 on a page that says 肌内注射). */
      for (const u of apart) {
        e.score -= e.units.get(u);
        e.units.delete(u);
        for (const [key, s] of e.sections) {
          const hit = s.hits.get(u);
          if (hit) { s.hits.delete(u); s.score -= hit.score; }
          if (!s.hits.size) e.sections.delete(key);  // only the missing word was there
        }
      }
      partial.push(e);
    }
  }
  partial.sort((a, b) => b.units.size - a.units.size || b.score - a.score || a.page - b.page);
  top.push(...partial.slice(0, Math.max(0, want - top.length)));
  /* Pages that say the whole query (or what an alias stands for) come first. */
  const whole = [parsed.q, ...parsed.parts.filter(p => p.span).flatMap(p => p.span.terms
    .map(t => parsed.q.replace(p.span.alias, t)))].map(compact);
  for (const e of top) e.whole = whole.some(w => w && e.text.includes(w)) ? 1 : 0;
  top.sort((a, b) => b.units.size - a.units.size || protocol(b) - protocol(a) || b.whole - a.whole || b.score - a.score || a.page - b.page);
  return top.slice(0, MAX_PAGES);
}

/* The article stands for the whole page: its terms are what any section matched. */
function pageHit(entry, u) {
  let best = null;
  for (const info of entry.sections.values()) {
    const hit = info.hits.get(u);
    if (hit && (!best || hit.score > best.score)) best = hit;
  }
  return best;
}

function group(entry, wanted) {
  const data = pages.get(entry.page);
  const sections = [...entry.sections.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  const shown = sections.filter(([s]) => s !== 0).slice(0, MAX_SECTIONS);
  const top = entry.sections.get(0);
  const out = [];
  const item = (section, info) => {
    const [anchor, title, text] = data.s[section] || ["", data.t, ""];
    const terms = {};
    const matched = [];
    wanted.forEach((unit, u) => {
      const hit = section === 0 ? pageHit(entry, u) : info && info.hits.get(u);
      if (hit) { terms[hit.text] = true; matched.push(...hit.words); }
      if (!hit || unit.typo) terms[unit.typed || unit.text] = false;  // a corrected typo shows as missing, as typed
    });
    const re = marker(matched);
    return {
      location: anchor ? `${data.u}#${anchor}` : data.u,
      title: mark(section === 0 ? data.t : title || data.t, re, false),
      text: mark(text, re, true),
      score: info ? info.score : 0,
      terms
    };
  };
  out.push(item(0, top));
  for (const [section, info] of shown) out.push(item(section, info));
  return out.sort((a, b) => b.score - a.score);
}

/* --- snippets: the matched words in context, escaped, marked ------------------------------ */
const esc = text => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
const reEsc = text => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function marker(words) {
  const parts = [...new Set(words)].sort((a, b) => b.length - a.length).map(w => w.startsWith("!")
    ? reEsc(w.slice(1)) : /^[a-z0-9]/.test(w) ? `(?<![a-z0-9])${reEsc(w)}[a-z0-9]*` : reEsc(w));
  return parts.length ? new RegExp(parts.join("|"), "gi") : null;
}
function mark(text, re, snippet) {
  let from = 0, to = text.length;
  const ranges = [];
  if (re) for (const m of text.toLowerCase().matchAll(re)) if (m[0].length) ranges.push([m.index, m.index + m[0].length]);
  if (snippet && text.length > SNIPPET) {
    const first = ranges.length ? ranges[0][0] : 0;
    from = Math.max(0, first - 40);
    to = Math.min(text.length, from + SNIPPET);
  }
  let html = from > 0 ? "…" : "", at = from;
  for (const [a, b] of ranges) {
    if (a < at || b > to) continue;
    html += esc(text.slice(at, a)) + "<mark data-md-highlight>" + esc(text.slice(a, b)) + "</mark>";
    at = b;
  }
  return html + esc(text.slice(at, to)) + (to < text.length ? "…" : "");
}
