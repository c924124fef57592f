/** What the two Xu & Durrett experiments read off a run: its likelihood figures, evaluated the same way. */

/** `latentkit eval` flags: the IW bound (K = 20 in full, 2 in the miniature) and no downstream tasks. */
export const likelihoodEval = {
  full: ['--importance-samples', '20', '--no-probe', '--no-knn', '--no-kmeans'],
  mini: ['--importance-samples', '2', '--no-probe', '--no-knn', '--no-kmeans'],
};

/** A report's test perplexity (ELBO and IW bound), KL, reconstruction and active units. */
export const likelihoodFigures = (report) => ({
  perplexity: report.likelihood.perplexity,
  iwPerplexity: report.likelihood.importanceWeighted?.perplexity ?? null,
  kl: report.likelihood.kl,
  reconstruction: report.likelihood.reconstruction,
  activeUnits: report.likelihood.activeUnits,
});
