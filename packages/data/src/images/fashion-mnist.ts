/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 + 10,000 grey 28×28 images of 10 clothing classes, in MNIST's IDX layout.
 * Debian's `dataset-fashion-mnist` package installs it under /usr/share/datasets/fashion-mnist/.
 */
import { existsSync } from 'node:fs';
import { LatentkitError } from '@latentkit/core/base';
import { loadMnistIdx } from '../datasets.js';
import type { ImageSet } from './image-set.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Label names 0–9, as published by Zalando Research. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** One split of Fashion-MNIST, with its class names; `dir` defaults to Debian's install folder. */
export async function loadFashionMnist(split: 'train' | 'test', dir: string = FASHION_MNIST_DIR): Promise<ImageSet> {
  if (!existsSync(dir)) {
    throw new LatentkitError('FILE_NOT_FOUND', `${dir}: no such folder (Fashion-MNIST: on Debian/Ubuntu, apt-get install dataset-fashion-mnist)`, {
      file: dir,
    });
  }
  return { ...(await loadMnistIdx(dir, split)), classes: [...FASHION_MNIST_CLASSES] };
}
