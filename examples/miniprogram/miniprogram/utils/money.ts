/** 1860 fen → "18.60" yuan. Money stays integer fen everywhere but on screen. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
