/**
 * The config of a temporal-server on PostgreSQL (scripts/temporal-postgres.ts): its ports, each
 * chosen free unless given, and the server config rendered from the module's PostgreSQL template
 * with the database URL, those ports and the project's dynamic config.
 */
import { createServer } from 'node:net';
import YAML from 'yaml';

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export interface TemporalDatabases {
  /** The default store (executions, shards, namespaces, task queues). */
  default: string;
  /** The visibility store (workflow lists, search attributes). */
  visibility: string;
}
/** A TCP port on 127.0.0.1 that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A free port below 32768: Temporal stores membership ports in a `smallint` column (cluster_membership.rpc_port). */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const server = createServer();
    const ok = await new Promise<boolean>((resolve) =>
      server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)),
    );
    if (ok) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
}

export async function choosePorts(fixed: Partial<ServerPorts> = {}): Promise<ServerPorts> {
  const names: Array<keyof ServerPorts> = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
  ];
  const taken = new Set(Object.values(fixed));
  const ports = {} as ServerPorts;
  for (const name of names) {
    let port = fixed[name];
    while (port === undefined || (taken.has(port) && fixed[name] === undefined))
      port = name.endsWith('Membership') ? await freeLowPort(taken) : await freePort();
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

export function parseUrl(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

/** The server config: the module's PostgreSQL template with this URL, these ports and no fixed side ports. */
export function renderConfig(
  template: string,
  o: {
    databaseUrl: string;
    databases: TemporalDatabases;
    ports: ServerPorts;
    dynamicConfigFile: string;
    logLevel: string;
  },
): string {
  const doc = YAML.parse(template);
  const { host, port, user, password } = parseUrl(o.databaseUrl);
  doc.log = { stdout: true, level: o.logLevel };
  const stores = doc.persistence.datastores;
  for (const [name, db, conns] of [
    ['postgres-default', o.databases.default, 20],
    ['postgres-visibility', o.databases.visibility, 4],
  ] as const) {
    Object.assign(stores[name].sql, {
      databaseName: db,
      connectAddr: `${host}:${port}`,
      user,
      password,
      maxConns: conns,
      maxIdleConns: conns,
    });
  }
  // No pprof and no Prometheus listener on fixed ports (7936, 8000): two servers could not run side by side.
  delete doc.global.pprof;
  delete doc.global.metrics;
  doc.global.membership = { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' };
  const p = o.ports;
  doc.services = {
    frontend: {
      rpc: {
        grpcPort: p.frontend,
        membershipPort: p.frontendMembership,
        bindOnLocalHost: true,
        httpPort: p.frontendHttp,
      },
    },
    history: { rpc: { grpcPort: p.history, membershipPort: p.historyMembership, bindOnLocalHost: true } },
    matching: { rpc: { grpcPort: p.matching, membershipPort: p.matchingMembership, bindOnLocalHost: true } },
    worker: { rpc: { grpcPort: p.worker, membershipPort: p.workerMembership, bindOnLocalHost: true } },
  };
  doc.clusterMetadata.clusterInformation.active.rpcAddress = `127.0.0.1:${p.frontend}`;
  // Archival stays off (the template enables the filestore provider under /tmp).
  doc.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
  delete doc.namespaceDefaults;
  doc.dynamicConfigClient = { filepath: o.dynamicConfigFile, pollInterval: '10s' };
  return YAML.stringify(doc);
}

/**
 * Dynamic config: what the project needs (Updates, update-with-start). Not
 * `system.forceSearchAttributesCacheRefreshOnRead` (see DEV_SERVER_ARGS): the search attributes
 * are registered before anyone starts a workflow (prepareNamespace waits until they are usable), and
 * forcing the cache's refresh made every read of them a database query — the project's commands
 * took ~4 ms longer (BENCHMARKS.md).
 */
export const DYNAMIC_CONFIG = `# Written by scripts/temporal-postgres.ts.
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableExecuteMultiOperation:
  - value: true
limit.maxIDLength:
  - value: 255
`;
