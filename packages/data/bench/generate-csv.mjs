// A generated CSV of a given size for the streaming benches: an id, 10 numeric columns with 5% gaps, a categorical
// and a binary column, from a fixed LCG so every run writes the same bytes.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Writes rows until the file reaches `gb` GiB; returns the number of data rows. */
export function generateCsv(file, gb) {
  const fd = openSync(file, 'w');
  const target = gb * 2 ** 30;
  let written = 0;
  let row = 0;
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  written += writeSync(fd, 'id,x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,city,flag\n');
  const cities = ['Rome', 'Milan', 'Naples', 'Turin', 'Palermo'];
  while (written < target) {
    const lines = [];
    for (let k = 0; k < 20_000; k++, row++) {
      const xs = [];
      for (let j = 0; j < 10; j++) xs.push(rand() < 0.05 ? '' : (rand() * 200 - 100).toFixed(4));
      lines.push(`${row},${xs.join(',')},${cities[row % 5]},${rand() < 0.5 ? 1 : 0}`);
    }
    written += writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  return row;
}
