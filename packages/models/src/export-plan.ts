/**
 * What a model hands the ONNX exporter: its inference graph as data, in terms of its named layers, as a bottleneck
 * hands over its `InferenceSpec`. The exporter knows the two shapes below, not the model kinds.
 */

/** One step of a feed-forward path. */
export type PlanStep =
  /** The layer registered under this name in `model.layers`, in inference mode. */
  | { readonly op: 'layer'; readonly layer: string }
  /** A reshape of the batch to `shape` (−1 for the batch dimension), in the model's NHWC layout. */
  | { readonly op: 'reshape'; readonly shape: readonly number[] };

/** An encoder and a decoder that each map one matrix to another (images, word counts, table rows). */
export interface FeedForwardPlan {
  readonly kind: 'feedForward';
  /** The batch field the encoder reads (`pixels`, `counts`), and its width per example. */
  readonly input: { readonly field: string; readonly width: number };
  /** From the input to the bottleneck's features. */
  readonly encoder: readonly PlanStep[];
  /** From the code to the decoder's output. */
  readonly decoder: readonly PlanStep[];
  /** Width of the decoder's output (logits or means). */
  readonly outputWidth: number;
}

/** A token embedding, an LSTM encoder read at each sequence's last token, and a step-wise LSTM decoder. */
export interface RecurrentPlan {
  readonly kind: 'recurrent';
  readonly embedding: string;
  /** The encoder LSTM, then optional projection layers to the bottleneck's width. */
  readonly encoder: { readonly lstm: string; readonly after: readonly PlanStep[] };
  /** The code → initial (h, c) layers; each step's input is [embedding(token); code]. */
  readonly decoder: { readonly initH: string; readonly initC: string; readonly lstm: string; readonly out: string };
  readonly hiddenDim: number;
  readonly vocabSize: number;
}

export type ExportPlan = FeedForwardPlan | RecurrentPlan;
