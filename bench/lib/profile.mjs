// bench: reads a V8 .cpuprofile (node --cpu-prof). Input: the parsed profile. Output: the functions
// with the most self time (ms and share of the total), so RESULTS.md can say where the time goes.
import { basename } from 'node:path';

export function topFunctions(profile, n) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = byId.get(id).callFrame;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}\0${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, ms]) => {
      const [fn, where] = key.split('\0');
      return { fn, where, ms, share: total > 0 ? ms / total : 0 };
    })
    .concat([{ fn: '(total sampled)', where: '', ms: total, share: 1 }]);
}
