// A realistic mixed program: a small HTTP server on 127.0.0.1 and, in the same process, a client that sends a
// burst of 2,000 requests over 32 keep-alive connections. Each request is parsed, answered from a lazy generator
// pipeline over an in-memory table, after an await of a simulated lookup; the client awaits every response.
import http from 'node:http';

const REQUESTS = Number(process.argv[2] ?? 2000);
const CONNECTIONS = 32;
const table = Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}`, price: (id * 37) % 101 }));

function* matching(rows, min) {
  for (const row of rows) if (row.price >= min) yield row;
}
function* page(rows, skip, size) {
  for (const row of rows) {
    if (skip > 0) skip--;
    else if (size-- > 0) yield row;
    else return;
  }
}
const lookup = (key) => new Promise((resolve) => setImmediate(() => resolve(key % 50)));

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const n = Number(url.searchParams.get('n'));
  const min = await lookup(n);
  const items = [...page(matching(table, min), n % 20, 10)];
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ n, items }));
}
const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    res.statusCode = 500;
    res.end(String(e));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function get(path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}
async function client(first) {
  let sum = 0;
  for (let i = first; i < REQUESTS; i += CONNECTIONS) {
    const reply = await get(`/items?n=${i}`);
    sum += reply.items.length;
  }
  return sum;
}
const t0 = performance.now();
const totals = await Promise.all(Array.from({ length: CONNECTIONS }, (_, k) => client(k)));
const ms = performance.now() - t0;
agent.destroy();
server.close();
console.log(JSON.stringify({ ms, sum: totals.reduce((a, b) => a + b, 0) }));
