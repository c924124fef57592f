/**
 * Wu & Flierl (AAAI 2020), "Vector Quantization-Based Regularization for Autoencoders": the same 784-500-500-2000
 * MLP autoencoder (decoder mirrored) with each bottleneck, latent 64, 128 codewords, judged on the held-out codes by
 * k-means (accuracy and NMI, 100 restarts), a linear probe and kNN.
 * - MNIST: train on the 10,000 bundled training digits (`mnist-train-test`: a tenth of them validate), test on the
 *   10,000 MNIST test digits. Fashion-MNIST: its 60,000 / 10,000 from Debian's dataset-fashion-mnist.
 * - `softvq-code` is the authors' notebook form (`predictedVariance`: a variance head per codeword, straight-through,
 *   commitment 2.5, z and ℓ as two heads on the 2,000-wide features). Not reproduced: the notebook multiplies the
 *   whole VQ loss by 3 and averages it over dimensions (our terms are sums per example), and trains 40k steps on
 *   60,000 digits.
 * - `gaussian`: KL weight 20, as in the authors' code.
 */
const common = ['--model', 'image-mlp', '--latent-dim', '64', '--epochs', '30', '--patience', '8'];

const variants = [
  { name: 'ae', label: 'AE', train: ['--bottleneck', 'identity', ...common] },
  { name: 'dae', label: 'denoising AE', train: ['--bottleneck', 'denoising', ...common] },
  { name: 'gaussian', label: 'Gaussian VAE (KL weight 20)', train: ['--bottleneck', 'gaussian', '--beta', '20', ...common] },
  { name: 'vmf', label: 'vMF VAE', train: ['--bottleneck', 'vmf', ...common] },
  { name: 'vq', label: 'VQ-VAE (EMA)', train: ['--bottleneck', 'vq', '--codebook-size', '128', ...common] },
  { name: 'softvq', label: 'soft VQ (paper: noise σ = 1)', train: ['--bottleneck', 'soft-vq', '--codebook-size', '128', ...common] },
  {
    name: 'softvq-code',
    label: "soft VQ (authors' code)",
    train: [...common],
    config: { model: { bottleneck: { kind: 'softVq', variant: 'predictedVariance', inputDim: 2000, latentDim: 64, codebookSize: 128, beta: 2.5 } } },
  },
].map((v) => ({ settings: 'paper', paper: null, ...v }));

const evalFlags = ['--importance-samples', '0', '--kmeans-restarts', '100'];

const columns = [
  { key: 'kmeansAccuracy', label: 'k-means accuracy', digits: 3 },
  { key: 'nmi', label: 'NMI', digits: 3 },
  { key: 'probeAccuracy', label: 'linear probe', digits: 3 },
  { key: 'knnAccuracy', label: 'kNN (k = 5)', digits: 3 },
  { key: 'reconstruction', label: 'reconstruction NLL (nats)', digits: 1 },
];

function experiment({ name, title, data, needs, goal, miniTrain }) {
  return {
    name,
    title,
    data,
    needs,
    paperSource: "Wu & Flierl 2020; the authors' MNIST notebook reaches 0.780 k-means accuracy (60,000 digits, 40k steps)",
    goal,
    variants,
    columns,
    scales: {
      full: { seeds: [1, 2, 3], eval: evalFlags },
      mini: { seeds: [1], train: miniTrain, eval: ['--importance-samples', '0', '--kmeans-restarts', '2', '--no-probe'] },
    },
    figures: (report) => ({
      kmeansAccuracy: report.clustering?.accuracy ?? null,
      nmi: report.clustering?.nmi ?? null,
      probeAccuracy: report.probe?.testAccuracy ?? null,
      knnAccuracy: report.knn?.testAccuracy ?? null,
      reconstruction: report.reconstruction?.nll ?? null,
    }),
  };
}

export const wuFlierlMnist = experiment({
  name: 'wu-flierl-mnist',
  title: 'Wu & Flierl (2020): bottlenecks of an MLP autoencoder on MNIST, clustering and probes of the codes',
  data: 'mnist-train-test',
  needs: 'mnist',
  goal: 'soft-VQ k-means accuracy ≥ 0.80 on the MNIST test digits, and soft VQ first on clustering among the bottlenecks',
  miniTrain: ['--limit', '256', '--epochs', '1', '--max-steps', '2', '--batch-size', '64'],
});

export const wuFlierlFashion = experiment({
  name: 'wu-flierl-fashion',
  title: 'Wu & Flierl (2020): bottlenecks of an MLP autoencoder on Fashion-MNIST, clustering and probes of the codes',
  data: 'fashion-mnist',
  needs: '/usr/share/datasets/fashion-mnist',
  goal: 'soft VQ first on clustering among the bottlenecks',
  miniTrain: ['--limit', '256', '--epochs', '1', '--max-steps', '2', '--batch-size', '64'],
});
