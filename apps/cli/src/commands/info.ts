import { Command } from 'commander';
import { addCommonOptions, lazyAction } from '../options.js';

export function infoCommand(): Command {
  return addCommonOptions(
    new Command('info').description(
      "show the tensor backend in use, what was tried, whether the native backend's compiled kernels loaded, every registered model, bottleneck and dataset kind, and package versions",
    ),
  ).action(lazyAction(() => import('../actions/info.js')));
}
