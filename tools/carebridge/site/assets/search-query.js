/* CareBridge search, the query: normalised and cut into words as carebridge/site/search.py cuts
   the pages' text (change both together), then into units that must all match, each with its
   alternatives (an alias or its term). */
const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const HAN_RUN = new RegExp(`^[${HAN}]+$`);
const SPLIT = new RegExp(`([${HAN}]+)`);

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
    if (asks.has(text) && text.length < n) out.push({ word: "", text, ask: true });  // 吗, 怎么 (search.py CJK_ASK)
    else if (text.length > 1) out.push({ word: text, text });
    else if (n > 1 && manifest.cjkStop.includes(text)) continue;  // 的, 和: not search words
    /* A last character on its own may be a word still being typed (个人微 for 个人微信). */
    else if (i === n - 1 && n > 1) out.push({ word: "!" + text, text, prefix: text });
    else out.push({ word: "!" + text, text });
  }
  return out;
}
/* Pieces of a text: Latin words and Han runs, in order. */
function pieces(text) {
  return text.split(SPLIT).filter(Boolean).flatMap(part => HAN_RUN.test(part)
    ? [{ han: part }] : latin(part).map(w => ({ latin: w })));
}
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
  const out = found.flatMap(p => p.han ? segment(p.han).filter(t => !t.ask) : [{ word: stem(p.latin), text: p.latin }]);
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
        /* A question's words (吗, 怎么: CJK_ASK) are left out; a run that matches nothing as one
           phrase is loosened into its words later (rankOrLoosen). */
        const segs = segment(piece.han).filter(t => !t.ask);
        segs.near = true;
        out.push({ text: piece.han, han: true, alts: segs.length ? [segs] : [] });
      }
    });
  });
  return out;
}
const compact = text => norm(text).replace(/\s+/g, "");
