/* CareBridge search, homophones: a clinician typing pinyin picks a character that sounds the same
   (安甲环酸 for 氨甲环酸, 缩宫速 for 缩宫素). A Chinese word that finds nothing is matched by sound
   against the index's own Chinese words: search/cb/sounds.js (site/homophones.py) lists them with
   the readings of every common character, and is loaded only then. */
const SAME_SOUND = 1, NEAR_SOUND = 2, OTHER_SOUND = 3, MAX_RUN = 16;
let sounds = null;
self.cbSounds = data => {
  const readings = new Map(), byLength = new Map(), aliases = new Map();
  for (const [reading, chars] of Object.entries(data.readings))
    for (const c of chars) (readings.get(c) || readings.set(c, new Set()).get(c)).add(reading);
  for (const word of data.words.split(" "))
    (byLength.get(word.length) || byLength.set(word.length, []).get(word.length)).push(word);
  for (const [alias, term] of manifest.synonyms) (aliases.get(alias) || aliases.set(alias, []).get(alias)).push(term);
  sounds = { readings, byLength, aliases };
};
handlers.cbSounds = self.cbSounds;
const loadSounds = async () => { if (!sounds && manifest.sounds) await load([`${base}sounds.js`]); return sounds; };

/* Sounds a southern ear or a fuzzy-pinyin IME does not tell apart: zh z, ch c, sh s, l n, -ng -n. */
const fold = r => r.replace(/^([zcs])h/, "$1").replace(/^l/, "n").replace(/([aei]n)g$/, "$1");
function likeness(typed, meant) {
  if (typed === meant) return 0;
  const a = sounds.readings.get(typed), b = sounds.readings.get(meant);
  if (!a || !b) return OTHER_SOUND;
  if ([...a].some(r => b.has(r))) return SAME_SOUND;  // every reading of either: 行 is xing and hang
  const near = new Set([...b].map(fold));
  return [...a].some(r => near.has(fold(r))) ? NEAR_SOUND : OTHER_SOUND;
}
/* How far a typed run is from an index word of its length: each character as typed 0, a homophone 1,
   a near sound 2; with ``other``, one other character in a word of four or more (右雷左升 for
   右雷佐生); at least half the characters as typed, so a made-up string finds nothing. */
function soundDistance(run, word, other) {
  let cost = 0, same = 0, others = 0;
  for (let i = 0; i < run.length; i++) {
    const d = likeness(run[i], word[i]);
    if (d === 0) same++;
    if (d === OTHER_SOUND && ++others > (other && run.length >= 4 ? 1 : 0)) return Infinity;
    cost += d;
  }
  return same * 2 >= run.length ? cost : Infinity;
}
/* The index words nearest a typed run by sound, and how near; none when it is itself an index word. */
function soundAlikes(run, other) {
  let best = Infinity, found = [];
  for (const word of sounds.byLength.get(run.length) || []) {
    const d = soundDistance(run, word, other);
    if (d < best) { best = d; found = []; }
    if (d === best && d < Infinity) found.push(word);
  }
  return { cost: best, words: found };
}
/* A run no index word sounds like as a whole (缩宫速用量): cut into index words as typed or by sound,
   covering every character but 的, 和 (as segment() does for words as typed), the fewest changed. A
   word by sound is three characters or more: two sound like too many others (中毒 is no index word,
   but 中度 is: 硫酸镁中毒 stays as typed). */
function cutBySound(run) {
  const n = run.length, best = new Array(n + 1);
  best[n] = { gaps: 0, cost: 0, count: 0 };
  for (let i = n - 1; i >= 0; i--) {
    const next = best[i + 1];
    let pick = { gaps: next.gaps + (manifest.cjkStop.includes(run[i]) ? 0 : 1), cost: next.cost, count: next.count, len: 1 };
    for (let len = 2; i + len <= n; len++) {
      const piece = run.slice(i, i + len);
      const { cost, words: alike } = postings(piece) ? { cost: 0, words: [piece] }
        : len >= 3 ? soundAlikes(piece, false) : { cost: Infinity, words: [] };
      if (!alike.length) continue;
      const rest = best[i + len];
      const here = { gaps: rest.gaps, cost: rest.cost + cost, count: rest.count + 1, len, word: alike[0] };
      if (here.gaps < pick.gaps || (here.gaps === pick.gaps && (here.cost < pick.cost ||
          (here.cost === pick.cost && here.count < pick.count)))) pick = here;
    }
    best[i] = pick;
  }
  if (best[0].gaps || !best[0].cost) return null;
  const out = [];
  for (let i = 0; i < n; i += best[i].len) if (best[i].word) out.push({ word: best[i].word, text: best[i].word });
  out.near = true;  // the words meet as the typed run did: in one section, said together or loosened
  return out;
}
/* An index word as an alternative; an alias as its terms' words (摧产素 sounds like 催产素: 缩宫素). */
const soundAlts = word => postings(word) || !sounds.aliases.has(word)
  ? [[{ word, text: word }]] : sounds.aliases.get(word).map(words).filter(a => a.length);

/* Chinese units that find nothing: searched as the index words they sound like, nearest first, three at
   most, or as the index words they are cut into; the typed word shows as missing. Before ranking
   (``last`` false) only units that are on no page; when nothing at all was found (``last``), any unit the
   index does not hold as typed, and one other character allowed in a long word. True when one changed. */
async function mendSounds(wanted, last) {
  const lost = wanted.filter(u => u.han && u.text.length >= 2 && u.text.length <= MAX_RUN && !postings(u.text) &&
    (last || !unitPlaces(u).size));
  if (!lost.length || !await loadSounds()) return false;
  const found = lost.map(unit => {
    const alike = soundAlikes(unit.text, last).words.slice(0, 3);
    return [unit, alike, alike.length ? null : cutBySound(unit.text)];
  }).filter(([, alike, cut]) => alike.length || cut);
  /* The shards of the words found, and of the terms an alias stands for, before they are cut. */
  const texts = found.flatMap(([, alike, cut]) => [...alike, ...alike.flatMap(w => sounds.aliases.get(w) || []),
    ...(cut || []).map(t => t.word)]);
  await loadShards(texts.flatMap(pieces).flatMap(p => p.han ? hanKeys(p.han) : [shardOf(stem(p.latin))]).filter(Boolean));
  for (const [unit, alike, cut] of found) {
    const alts = cut ? [cut] : alike.flatMap(soundAlts);
    unit.alts = alts.filter((alt, i) => alts.findIndex(a => a.map(t => t.word).join() === alt.map(t => t.word).join()) === i);
    unit.typo = true;
  }
  return found.length > 0;
}

/* --- pinyin typed in Latin letters ---------------------------------------------------------
   With the input method off (a ward PC, a phone's English keyboard), 产后出血 is typed
   chanhouchuxue, or as the first letters a hospital system's drug and diagnosis codes use (chcx,
   nzl for 尿潴留). A Latin word on no page of a Chinese site is read as the readings of the index's
   Chinese words run together, or as their first letters (zh, ch, sh one letter or two). */
const INITIALS_MIN = 3, INITIALS_MAX = 8, INITIALS_WORDS = 12, SPELLINGS_PER_WORD = 16, PINYIN_ALTS = 3;
let spelled = null;
function spellings() {
  if (spelled) return spelled;
  const full = new Map(), initials = new Map();
  const add = (map, key, word) => {
    const list = map.get(key) || map.set(key, []).get(key);
    if (!list.includes(word)) list.push(word);
  };
  for (const list of sounds.byLength.values())
    for (const word of list) {
      let whole = [""], firsts = [""];
      for (const c of word) {
        const rs = [...(sounds.readings.get(c) || [])];
        if (!rs.length) { whole = firsts = []; break; }
        whole = whole.flatMap(p => rs.map(r => p + r)).slice(0, SPELLINGS_PER_WORD);
        firsts = firsts.flatMap(p => rs.flatMap(r => {
          const two = /^[zcs]h/.test(r) ? [p + r[0], p + r.slice(0, 2)] : [p + r[0]];
          return two;
        })).slice(0, SPELLINGS_PER_WORD);
      }
      for (const key of whole) add(full, key, word);
      for (const key of firsts) if (key.length >= INITIALS_MIN) add(initials, key, word);
    }
  spelled = { full, initials };
  return spelled;
}
/* The fewest index words (or aliases: fashao for 发烧, which stands for 发热) whose readings, run
   together, spell ``text``, each cut as its alternatives. A syllable no word spells may be left out
   (hou for 后, da for 大: a single character is no index word) when more words than gaps are left:
   chanhoudachuxue is 产后 出血. */
function cutPinyin(text) {
  const { full } = spellings(), n = text.length, best = new Array(n + 1).fill(null);
  const better = (a, b) => !b || a.gaps < b.gaps || (a.gaps === b.gaps && a.count < b.count);
  best[n] = { gaps: 0, count: 0 };
  for (let i = n - 1; i >= 0; i--)
    for (let j = i + 1; j <= n && j - i <= 24; j++) {
      if (!best[j]) continue;
      const found = j - i >= 2 && full.get(text.slice(i, j));
      if (found) {
        const here = { gaps: best[j].gaps, count: best[j].count + 1, len: j - i, found };
        if (better(here, best[i])) best[i] = here;
      }
      if (j - i <= 6 && SYLLABLE.test(text.slice(i, j))) {
        const here = { gaps: best[j].gaps + 1, count: best[j].count, len: j - i, found: null };
        if (better(here, best[i])) best[i] = here;
      }
    }
  if (!best[0] || !best[0].count || best[0].gaps >= best[0].count) return null;
  const cut = [];
  for (let i = 0; i < n; i += best[i].len) if (best[i].found) cut.push(best[i].found);
  return cut;
}
/* One pinyin syllable: an initial (or none) and a final. English words that are also syllables
   (can, pin, men) stay apart unless the whole run spells index words when joined. */
const SYLLABLE = /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:i(?:a(?:ng?|o)?|e|ng?|ong|u)?|u(?:a(?:ng?|i)?|e|i|n|o)?|v(?:e|n)?|a(?:ng?|i|o)?|e(?:ng?|i|r)?|o(?:ng|u)?)$/;
/* Pinyin typed with a space between syllables ("chan hou chu xue"): a run of two or more words, none
   an index word and each a syllable, searched as one word run together when it spells index words. */
async function joinSyllables(wanted) {
  const syllable = u => !!u && typedWord(u) && SYLLABLE.test(u.text) && !known(u.alts[0][0]);
  const runs = [];
  for (let i = 0; i < wanted.length; i++) {
    let j = i;
    while (syllable(wanted[j])) j++;
    if (j - i >= 2) runs.push([i, j]);
    i = Math.max(i, j);
  }
  if (!runs.length || !await loadSounds()) return wanted;
  const out = wanted.slice();
  for (const [i, j] of runs.reverse()) {
    const joined = wanted.slice(i, j).map(u => u.text).join("");
    if (!cutPinyin(joined)) continue;
    const typed = wanted.slice(i, j).map(u => u.text).join(" ");  // shown as missing the way it was typed
    out.splice(i, j - i, { text: joined, typed, latin: true, alts: [[{ word: joined, text: joined, prefix: "" }]] });
  }
  return out;
}
/* Latin words no page holds, on a site with Chinese words: searched as the Chinese words they spell,
   the most used first (three at most). The typed word shows as missing, so the change shows. */
async function mendPinyin(wanted) {
  const typed = wanted.filter(u => typedWord(u) && u.alts.length === 1 && u.alts[0].length === 1 &&
    u.text.length >= INITIALS_MIN && !known(u.alts[0][0]));
  if (!typed.length || !await loadSounds()) return;
  const { initials } = spellings();
  const found = typed.map(unit => {
    const cut = cutPinyin(unit.text);
    /* First letters that could be a dozen words are no code a clinician would type. */
    const first = !cut && unit.text.length <= INITIALS_MAX ? initials.get(unit.text) : null;
    return [unit, cut || (first && first.length <= INITIALS_WORDS ? [first] : null)];
  }).filter(([, cut]) => cut);
  const texts = found.flatMap(([, cut]) => cut.flat()).flatMap(w => [w, ...sounds.aliases.get(w) || []]);
  await loadShards(texts.flatMap(pieces).flatMap(p => p.han ? hanKeys(p.han) : [shardOf(stem(p.latin))]).filter(Boolean));
  const used = w => (postings(w) || []).length;
  const usable = w => used(w) > 0 || sounds.aliases.has(w);
  for (const [unit, cut] of found) {
    const picks = cut.map(options => options.filter(usable).sort((a, b) => used(b) - used(a)));
    if (picks.some(p => !p.length)) continue;
    /* One word: its alternatives; several: the most used of each, said together (as typed). An
       alias is searched as the words of its term. */
    const alts = picks.length === 1 ? picks[0].slice(0, PINYIN_ALTS).flatMap(soundAlts)
      : [Object.assign(picks.flatMap(p => soundAlts(p[0])[0]), { near: true })];
    unit.alts = alts;
    unit.typo = true;
  }
}
