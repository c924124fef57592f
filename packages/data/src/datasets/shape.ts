import type { ColumnSchema } from '../tabular/types.js';

/**
 * What a dataset is, as far as a model needs to know: the shape of one example. A dataset states its shape; a model
 * kind says which kind of data it reads and which of its config fields the shape decides.
 */

/** Special token ids of a vocabulary. */
export interface SpecialTokenIds {
  readonly pad: number;
  readonly unk: number;
  readonly bos: number;
  readonly eos: number;
}

export type DataShape =
  /** Images, `channels` of `height` × `width` pixels in [0, 1], stored row-major [height, width, channels]. */
  | { readonly kind: 'image'; readonly height: number; readonly width: number; readonly channels: number }
  /** Token sequences (sentences) over `vocabulary`. */
  | { readonly kind: 'tokens'; readonly vocabulary: readonly string[]; readonly specialTokens: SpecialTokenIds }
  /** Word counts (bags of words) over `vocabulary`. */
  | { readonly kind: 'counts'; readonly vocabulary: readonly string[] }
  /**
   * Table rows of mixed columns, after the training split's preprocessing: numeric columns standardised, a
   * categorical column's cell is an index into `categories` (the training split's) or `categories.length`, the
   * unknown slot; a binary column's is 0 or 1. Cells may be missing (a mask comes with each batch).
   */
  | { readonly kind: 'table'; readonly columns: readonly ColumnSchema[] };

export type DataKind = DataShape['kind'];
