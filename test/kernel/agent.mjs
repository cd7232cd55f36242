// kernel test support, run by node inside a test namespace (`nsenter --net=NS node agent.mjs MODE`).
// `serve TOKEN PORT`: answers every tcp connection and udp datagram on PORT with TOKEN (no fork per flow).
// `probe`: stdin [{ id, proto, address, port, sourcePort, token, waitMs }] -> stdout { id: 'open'|'closed' }.
// Plain JS so node runs it directly; the test imports nothing from it.
import net from 'node:net';
import dgram from 'node:dgram';

const MAX_PARALLEL = 64;

function serve(token, port) {
  const reply = Buffer.from(`${token}\n`);
  net.createServer((c) => {
    c.on('error', () => {});
    c.end(reply);
  }).listen({ port, host: '0.0.0.0', backlog: 1024 });
  const u = dgram.createSocket('udp4');
  u.on('message', (_m, from) => u.send(reply, from.port, from.address));
  u.bind(port, '0.0.0.0');
}

/** 'open' as soon as the destination's token arrives; 'closed' on timeout, error or end. */
function probe(p) {
  return new Promise((resolve) => {
    let done = false;
    let received = '';
    let cleanup = () => {};
    const timer = setTimeout(() => finish('closed'), p.waitMs);
    function finish(r) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup();
      resolve(r);
    }
    const onData = (d) => {
      received += d.toString();
      if (received.includes(p.token)) finish('open');
    };
    if (p.proto === 'tcp') {
      const s = net.connect({ host: p.address, port: p.port, localPort: p.sourcePort });
      cleanup = () => s.destroy();
      s.on('data', onData);
      s.on('error', () => finish('closed'));
      s.on('close', () => finish('closed'));
    } else {
      const s = dgram.createSocket('udp4');
      cleanup = () => s.close();
      s.on('message', onData);
      s.on('error', () => finish('closed')); // e.g. ICMP port unreachable
      s.bind(p.sourcePort, () => s.connect(p.port, p.address, () => s.send('x\n')));
    }
  });
}

async function probeAll() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const probes = JSON.parse(input);
  const results = {};
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const p = probes[next++];
      results[p.id] = await probe(p);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL, probes.length) }, worker));
  process.stdout.write(JSON.stringify(results));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') serve(args[0], Number(args[1]));
else if (mode === 'probe') await probeAll();
else throw new Error(`usage: agent.mjs serve TOKEN PORT | probe`);
