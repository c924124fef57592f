/**
 * SMILES tokenisation with the regular expression of Schwaller et al. 2019 (Molecular Transformer), the usual one for
 * SMILES language models: a bracket atom ([nH], [C@@H], [O-]) is one token, so are the two-letter organic atoms Cl
 * and Br and a two-digit ring closure (%10); everything else is one character. Joining the tokens gives the SMILES back.
 */
import { invalidArgument } from '@latentkit/core/base';

/** The Schwaller et al. pattern, with the sticky flag so that a character it cannot read is noticed, not skipped. */
const TOKEN = /\[[^\]]+\]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9]/y;

/** The tokens of a SMILES string; throws INVALID_ARGUMENT naming the first character the pattern does not cover. */
export function tokenize(smiles: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < smiles.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(smiles);
    if (match === null) {
      TOKEN.lastIndex = 0;
      throw invalidArgument('smiles', `SMILES tokens only (no ${JSON.stringify(smiles[at])} at position ${at})`, smiles);
    }
    tokens.push(match[0]);
  }
  return tokens;
}

/** The inverse of `tokenize`: `detokenize(tokenize(s)) === s` for every string `tokenize` accepts. */
export function detokenize(tokens: readonly string[]): string {
  return tokens.join('');
}
