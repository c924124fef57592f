import { initEngine } from '@latentkit/core';
import { imageBatches, loadBundledMnist } from '@latentkit/data';
import { createModel, evaluate, imageTrainData, loadModel, train } from '@latentkit/models';

await initEngine();
const digits = await loadBundledMnist();
const model = createModel({ kind: 'imageMlp', hiddenDims: [256, 128], bottleneck: { kind: 'gaussian', latentDim: 16 } }, { seed: 1 });
const result = await train(
  model,
  { seed: 1, epochs: 2, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } },
  {
    train: imageTrainData(digits, { batchSize: 100, seed: 1 }),
    checkpointDir: 'runs/mnist',
    logFile: 'runs/mnist.jsonl',
  },
);
console.log(result.stopped, result.state.step, 'steps');
const first = imageBatches(digits, { batchSize: 500, shuffle: false }).next().value;
console.log('reconstruction, nats/image:', evaluate(model, [first]).reconstruction.toFixed(1));

const loaded = loadModel('runs/mnist'); // the training checkpoint is a model folder
console.log(
  'latent of the first digit:',
  loaded
    .encode(first)
    .latent.arraySync()[0]
    .map((v) => v.toFixed(2))
    .join(' '),
);
