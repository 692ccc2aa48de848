/* CareBridge search, second tries: a misspelled word, one word typed as two or two as one, a
   Chinese query of several words typed together. Each rewrites the query's units. */
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
const TYPO_MIN = 4, TYPO_TWO = 10;  // one edit from 4 letters (fals), two from 10 (haemorrage, extravasion)
const ROOT_MIN = 5;
/* A word's root: one ending of tense, participle, noun or adjective off, then a final e, kept only
   when 5 letters or more are left (extravasated, extravasation -> extravas; escalate -> escal). */
const ENDING = /(?:ations?|ions?|ings?|ated|ates?|ed|ish|es|s)$/;
function root(word) {
  const r = word.replace(ENDING, "").replace(/e$/, "");
  return r.length >= ROOT_MIN ? r : word;
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
    /^[a-z]+$/.test(u.alts[0][0].word) && u.alts[0][0].text.length >= TYPO_MIN && !known(u.alts[0][0]));
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
