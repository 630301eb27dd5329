import { searchText } from '../../../data';

/** The words a search looks for, folded as the index folds text (see `searchText`). */
export function queryWords(text: string): string[] {
  return searchText(text).split(/\s+/).filter(Boolean);
}

/** A piece of a title, and whether a searched word covers it. */
export interface Piece {
  text: string;
  hit: boolean;
}

/**
 * `text` cut where the searched `words` appear in it, matched as search matches them (no case,
 * no accents, ß as ss), so a result shows why it was found: "Café" is marked for "cafe". Each
 * character is folded alone and mapped back to where it came from in `text`; a mark that folds
 * to nothing joins the character before it.
 */
export function highlight(text: string, words: readonly string[]): Piece[] {
  if (words.length === 0 || text === '') return [{ text, hit: false }];
  let folded = '';
  /** For each folded unit: where its character starts and ends in `text`. */
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = searchText(ch);
    if (f === '' && ends.length > 0) ends[ends.length - 1] = at + ch.length;
    for (let i = 0; i < f.length; i++) {
      starts.push(at);
      ends.push(at + ch.length);
    }
    folded += f;
    at += ch.length;
  }
  const hit = new Uint8Array(text.length);
  for (const w of words) {
    for (let i = folded.indexOf(w); i !== -1; i = folded.indexOf(w, i + 1))
      hit.fill(1, starts[i]!, ends[i + w.length - 1]!);
  }
  const pieces: Piece[] = [];
  let from = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hit[i] !== hit[from]) {
      pieces.push({ text: text.slice(from, i), hit: hit[from] === 1 });
      from = i;
    }
  }
  return pieces;
}
