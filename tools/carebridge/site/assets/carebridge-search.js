/* CareBridge search worker. It answers Material's search messages (SETUP 0, READY 1, QUERY 2,
   RESULT 3), so Material's search box, results list and keys stay as they are, but it reads the
   sharded index that carebridge.site.searchindex writes into search/cb/: a query loads the manifest
   once, then only the shards of its words and the pages it shows. Every index file is a script, so
   importScripts loads it in a worker over HTTP and the iframe-worker shim loads it from file://.
   No eval, no inline script: a CSP of script-src 'self' (worker-src defaults to it) is enough.
   Word cutting mirrors carebridge/site/search.py: change both together. */
"use strict";
(() => {
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const MAX_PAGES = 10, MAX_SECTIONS = 4, PREFIX_SHARDS = 6, SNIPPET = 160;
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const HAN_RUN = new RegExp(`^[${HAN}]+$`);
  const SPLIT = new RegExp(`([${HAN}]+)`);
  const shards = new Map(), pages = new Map();
  let manifest = null, keys = new Set(), maxKey = 1, stop = new Set(), latest = 0, medicines = new Set();
  let variants = new Map();

  self.cbManifest = data => {
    manifest = data;
    keys = new Set(data.keys);
    maxKey = Math.max(1, ...data.keys.map(k => k.length));
    stop = new Set(data.stop);
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

  /* --- words, as search.py cuts them ------------------------------------------------------- */
  /* Traditional and variant characters the library never writes become the Simplified ones it does
     (產後出血 finds 产后出血): the manifest's pairs, chosen at build time (site/variants.py). */
  const norm = text => [...text.normalize("NFKC").toLowerCase()].map(c => variants.get(c) || c).join("");
  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
    if (/(sses|xes|ches|shes)$/.test(w)) return w.slice(0, -2);
    if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
    return w;
  }
  /* A decimal is one word (0.4), a number against its unit two (800mcg), as search.py cuts them. */
  const latin = text => (text.match(/[0-9]+(?:\.[0-9]+)+|[a-z0-9]+/g) || [])
    .flatMap(w => { const m = /^([0-9]+)((?!(?:st|nd|rd|th)$)[a-z]+)$/.exec(w); return m ? [m[1], m[2]] : [w]; })
    .filter(w => w.length > 1 && !stop.has(w));

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
  /* Cut a run of Han characters into the index's own words, covering as many characters as
     possible, then in as few words as possible. A character no word covers must stand alone in
     the text (jieba cut it out as a word of one): so 产后出血 never matches on 后, and 卡前列素
     does not match 前列腺. */
  function segment(run) {
    const n = run.length;
    const best = new Array(n + 1);
    best[n] = [0, 0, 0];
    for (let i = n - 1; i >= 0; i--) {
      let pick = [best[i + 1][0] + 1, best[i + 1][1] + 1, 1];
      for (let len = 2; i + len <= n && len <= 24; len++) {
        if (!postings(run.slice(i, i + len))) continue;
        const [gaps, count] = best[i + len];
        if (gaps < pick[0] || (gaps === pick[0] && count + 1 <= pick[1])) pick = [gaps, count + 1, len];
      }
      best[i] = pick;
    }
    const out = [];
    for (let i = 0; i < n; i += best[i][2]) {
      const text = run.slice(i, i + best[i][2]);
      if (text.length > 1) out.push({ word: text, text });
      else if (n > 1 && manifest.cjkStop.includes(text)) continue;  // 的, 和: not search words
      /* A last character on its own may be a word still being typed (个人微 for 个人微信). */
      else if (i === n - 1 && n > 1) out.push({ word: "!" + text, text, prefix: text });
      else out.push({ word: "!" + text, text });
    }
    return out;
  }
  function prefixKeys(word) {
    const own = shardOf(word);
    const deeper = [...keys].filter(k => k.length > word.length && k.startsWith(word));
    return deeper.length > PREFIX_SHARDS ? [own] : [own, ...deeper];
  }
  /* Pieces of a text: Latin words and Han runs, in order. */
  function pieces(text) {
    return text.split(SPLIT).filter(Boolean).flatMap(part => HAN_RUN.test(part)
      ? [{ han: part }] : latin(part).map(w => ({ latin: w })));
  }

  /* --- the query: units that must all match, each with alternatives (alias or term) --------- */
  function parse(query) {
    const q = norm(query).replace(/\s+/g, " ").trim();
    const spans = [];
    const edge = (c, at) => !(at >= 0 && at < q.length && /[a-z0-9]/.test(q[at]) && /[a-z0-9]/.test(c));
    /* A term typed in full is not an alias inside it (早期预警 in 早期预警评分). */
    const said = [];
    for (const [, term] of manifest.synonyms)
      for (let at = q.indexOf(term); at >= 0; at = q.indexOf(term, at + 1)) said.push([at, at + term.length]);
    for (const [alias, term] of manifest.synonyms) {
      for (let at = q.indexOf(alias); at >= 0; at = q.indexOf(alias, at + 1)) {
        let end = at + alias.length;
        const plural = /[a-z]$/.test(alias) && /^(es|s)(?![a-z0-9])/.exec(q.slice(end));
        if (plural) end += plural[0].length;  // hemorrhages, LMWHs
        if (!edge(alias[0], at - 1) || !edge(alias[alias.length - 1], end)) continue;
        if (said.some(([a, b]) => a <= at && end <= b && b - a > end - at)) continue;
        const same = spans.find(s => s.start === at && s.end === end);
        if (same) { same.terms.push(term); continue; }
        if (spans.some(s => at < s.end && end > s.start)) continue;
        spans.push({ start: at, end, alias, terms: [term] });
      }
    }
    spans.sort((a, b) => a.start - b.start);
    const parts = [];
    let at = 0;
    for (const span of spans) {
      parts.push({ text: q.slice(at, span.start) }, { span });
      at = span.end;
    }
    parts.push({ text: q.slice(at) });
    return { q, parts, open: !/\s$/.test(query) };
  }
  function neededShards(parsed) {
    const texts = parsed.parts.flatMap(p => p.span ? [p.span.alias, ...p.span.terms] : [p.text]);
    const wanted = [];
    for (const piece of texts.flatMap(pieces))
      if (piece.han) wanted.push(...hanKeys(piece.han));
      else wanted.push(shardOf(stem(piece.latin)), ...prefixKeys(piece.latin));
    return wanted.filter(Boolean);
  }
  /* An alternative: the words of a text, all of which must be in one section. */
  function words(text) {
    const found = pieces(text);
    const out = found.flatMap(p => p.han ? segment(p.han) : [{ word: stem(p.latin), text: p.latin }]);
    out.near = found.length === 1 && !!found[0].han;  // one Chinese word cut in parts: keep them together
    return out;
  }
  function units(parsed) {
    const out = [];
    parsed.parts.forEach((part, index) => {
      if (part.span) {
        const alts = [part.span.alias, ...part.span.terms].map(words).filter(a => a.length);
        out.push({ text: part.span.alias, alts });
        return;
      }
      const found = pieces(part.text);
      found.forEach((piece, n) => {
        if (piece.latin) {
          const last = index === parsed.parts.length - 1 && n === found.length - 1 && parsed.open;
          out.push({ text: piece.latin, latin: true, alts: [[{ word: stem(piece.latin), text: piece.latin,
            prefix: last && piece.latin.length >= 3 ? piece.latin : "" }]] });
        } else {
          const segs = segment(piece.han);
          segs.near = true;
          out.push({ text: piece.han, alts: segs.length ? [segs] : [] });
        }
      });
    });
    return out;
  }

  /* --- scoring: sections hold words; a page matches when every unit matches in it ----------- */
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
  const compact = text => norm(text).replace(/\s+/g, "");

  /* --- second tries: a misspelled word, a Chinese query of several words typed together ------ */
  /* Edits (Damerau: a swap counts one) between a and b, or max + 1 once it is clearly more. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev2 = null, prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          row[j] = Math.min(row[j], prev2[j - 2] + 1);
      }
      if (Math.min(...row) > max) return max + 1;
      [prev2, prev] = [prev, row];
    }
    return prev[b.length];
  }
  const TYPO_MIN = 5, TYPO_TWO = 10;  // one edit from 5 letters, two from 10 (haemorrage, extravasion)
  /* A word's root: one ending of tense, participle, noun or adjective off, then a final e, kept only
     when 5 letters or more are left (extravasated, extravasation -> extravas; escalate -> escal). */
  const ENDING = /(?:ations?|ions?|ings?|ated|ates?|ed|ish|es|s)$/;
  function root(word) {
    const r = word.replace(ENDING, "").replace(/e$/, "");
    return r.length >= TYPO_MIN ? r : word;
  }
  const known = token => !!postings(token.word) || (!!token.prefix && prefixKeys(token.prefix)
    .some(key => Object.keys(shards.get(key) || {}).some(w => w.startsWith(token.prefix))));
  /* A Latin word the index does not hold: first its other forms, index words of the same root
     (extravasated finds extravasation, three edits away; feverish finds fever; deteriorated finds
     deterioration, not only its one-edit look-alike deteriorates); else the nearest index words or
     aliases (the same first letter, one edit, two for long words): a tired clinician's typo still
     finds the page. Never into a medicine by its root. The word stays listed as missing in the
     result, so the change shows. */
  async function mendTypos(wanted) {
    const typos = wanted.filter(u => u.alts.length === 1 && u.alts[0].length === 1 &&
      /^[a-z]+$/.test(u.alts[0][0].word) && u.alts[0][0].word.length >= TYPO_MIN && !known(u.alts[0][0]));
    if (!typos.length) return;
    /* Index words that start like it: its two-letter shard and the shards split from it. */
    const near = word => [...keys].filter(k => /^[a-z]/.test(k) && (k.startsWith(word.slice(0, 2)) || word.startsWith(k)));
    await loadShards(typos.flatMap(u => near(u.alts[0][0].word)));
    for (const unit of typos) {
      const word = unit.alts[0][0].word;
      const max = word.length >= TYPO_TWO ? 2 : 1;
      const found = [];
      for (const key of near(word))
        for (const [other, list] of Object.entries(shards.get(key) || {}))
          if (/^[a-z]+$/.test(other)) found.push([other, list.length, null]);
      for (const [alias, term] of manifest.synonyms)
        if (/^[a-z]+$/.test(alias) && alias[0] === word[0]) found.push([stem(alias), 0, term]);
      const stem0 = root(word);
      const forms = stem0 === word ? [] : found.filter(([other, , term]) => !term && other !== word &&
        !medicines.has(other) && root(other) === stem0);
      let best = max + 1, closest = forms;
      for (const [other, size, term] of forms.length ? [] : found) {
        /* Into a medicine's name by one edit only: two could make one medicine another. */
        const medicine = medicines.has(other) || (!!term && words(term).some(t => medicines.has(t.word)));
        const limit = medicine ? Math.min(max, 1) : max;
        const d = other.length >= TYPO_MIN ? distance(word, other, limit) : limit + 1;
        if (d > limit) continue;
        if (d < best) { best = d; closest = []; }
        if (d === best) closest.push([other, size, term]);
      }
      closest.sort((a, b) => b[1] - a[1]);
      const alts = closest.slice(0, 3).map(([other, , term]) => term ? words(term) : [{ word: other, text: other }]);
      if (alts.length) { unit.alts = alts; unit.typo = true; }
    }
    await loadShards(typos.flatMap(u => u.alts.flat()).map(t => shardOf(t.word)).filter(Boolean));
  }
  /* --- one word typed as two, two as one (post partum, cathlab, bedrails) -------------------- */
  const typedWord = unit => !!unit.latin && /^[a-z]+$/.test(unit.text);
  /* Two adjacent words typed apart, not both index words, whose concatenation is one (post partum
     for postpartum): searched as that word. Words the index holds both stay as typed (hand rub). */
  async function joinApart(wanted) {
    const apart = (a, b) => !!b && typedWord(a) && typedWord(b) && !(known(a.alts[0][0]) && known(b.alts[0][0]));
    await loadShards(wanted.flatMap((u, i) => apart(u, wanted[i + 1])
      ? [shardOf(stem(u.text + wanted[i + 1].text))] : []).filter(Boolean));
    const out = [];
    for (let i = 0; i < wanted.length; i++) {
      const [a, b] = [wanted[i], wanted[i + 1]];
      const joined = apart(a, b) ? a.text + b.text : "";
      if (!joined || !postings(stem(joined))) { out.push(a); continue; }
      out.push({ text: `${a.text} ${b.text}`, alts: [[{ word: stem(joined), text: joined,
        prefix: b.alts[0][0].prefix ? joined : "" }]] });
      i++;
    }
    return out;
  }
  /* A word the index does not hold that is two index words of 3 letters or more typed together
     (cathlab for cath lab, bedrails for bed rails): searched as those two words, on one page. Only
     the shards of the second halves whose first half is an index word are loaded. */
  async function splitJoined(wanted) {
    const joined = wanted.filter(u => typedWord(u) && u.text.length >= 6 && !known(u.alts[0][0]));
    const cuts = u => Array.from({ length: u.text.length - 5 }, (_, i) => [u.text.slice(0, i + 3), u.text.slice(i + 3)]);
    await loadShards(joined.flatMap(u => cuts(u).map(([head]) => shardOf(stem(head)))).filter(Boolean));
    const heads = u => cuts(u).filter(([head]) => postings(stem(head)));
    await loadShards(joined.flatMap(u => heads(u).map(([, tail]) => shardOf(stem(tail)))).filter(Boolean));
    for (const unit of joined) {
      const alts = heads(unit).filter(([, tail]) => postings(stem(tail)))
        .map(([head, tail]) => [{ word: stem(head), text: head }, { word: stem(tail), text: tail }]);
      if (alts.length) unit.alts = alts;
    }
  }
  /* A Chinese query that matched nothing as one phrase (跌倒风险评估, 新生儿肾上腺素: several words
     typed together, or words the page says apart): its words of two or more characters, each a
     unit of its own, like words between spaces. Null when no unit changes. */
  function loosen(wanted) {
    let changed = false;
    const out = wanted.flatMap(unit => {
      const alt = unit.alts.length === 1 ? unit.alts[0] : null;
      const parts = alt && alt.near ? alt.filter(t => t.text.length > 1) : [];
      if (!alt || !alt.near || alt.length < 2 || !parts.length) return [unit];
      changed = true;
      return parts.map(t => ({ text: t.text, alts: [[t]] }));
    });
    return changed ? out : null;
  }

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
    await mendTypos(wanted);
    let top = await rank(parsed, wanted);
    const apart = top.length ? null : loosen(wanted);
    if (apart) {
      wanted = apart;
      top = await rank(parsed, wanted);
    }
    return { items: top.map(e => group(e, wanted)) };
  }

  async function rank(parsed, wanted) {
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
    for (let from = 0; top.length < want && from < chosen.length && from < 3 * MAX_PAGES; from += MAX_PAGES) {
      const batch = chosen.slice(from, from + MAX_PAGES);
      await loadPages(batch.map(e => e.page));
      for (const e of batch) {
        const data = pages.get(e.page);
        e.text = compact([data.t, ...data.s.map(s => s[1] + " " + s[2])].join(" "));
        const apart = perUnit.some(places => { const info = places.get(e.page); return info && info.phrase && !e.text.includes(info.phrase); });
        if (!apart && top.length < want) top.push(e);
      }
    }
    /* Pages that say the whole query (or what an alias stands for) come first. */
    const whole = [parsed.q, ...parsed.parts.filter(p => p.span).flatMap(p => p.span.terms
      .map(t => parsed.q.replace(p.span.alias, t)))].map(compact);
    for (const e of top) e.whole = whole.some(w => w && e.text.includes(w)) ? 1 : 0;
    top.sort((a, b) => protocol(b) - protocol(a) || b.whole - a.whole || b.score - a.score || a.page - b.page);
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
        if (!hit || unit.typo) terms[unit.text] = false;  // a corrected typo shows as missing
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
})();
