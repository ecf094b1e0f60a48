/**
 * docker-compose.yml for real, with podman (`npm run compose:test`; CI runs it as a step of its own):
 *
 * 1. What a new machine lacks: podman (runc, netavark), mmdebstrap and openssl from Debian, podman-compose
 *    from PyPI (pinned, in a venv in the cache); the engine settings this machine needs
 *    (`default_ulimits = []`, `pids_limit = 0`, runc) in /etc/containers/containers.conf.d.
 * 2. Stand-in base images, because no container registry is reachable: a Debian bookworm root
 *    (mmdebstrap, with the host's CA bundle) and on it, from deploy/standins/*.Containerfile, images
 *    tagged with the names the Dockerfile and docker-compose.yml use — node:20-bookworm-slim (the host's
 *    Node), postgres:15 (Debian's), temporalio/server and admin-tools (the binaries scripts/temporal-bin.ts
 *    builds), temporalio/ui (ui-server from the Go module proxy), chrislusf/seaweedfs (the S3 test
 *    server, scripts/s3-server.ts) and caddy:2.6.2 (Debian's). Each is rebuilt only when its inputs change.
 * 3. The project image from ./Dockerfile (podman build, layers cached).
 * 4. Secrets in a fresh directory (a self-signed certificate for localhost), then the topology with
 *    podman-compose — in dependency order, step by step: podman-compose does not wait for
 *    `service_healthy` / `service_completed_successfully`, and podman runs health checks from systemd
 *    timers, which a container-less CI machine does not have, so this script runs them
 *    (`podman healthcheck run`) and waits for each group before starting the next.
 * 5. Through the proxy only (https://localhost:<port>, the certificate as CA): /readyz counting two
 *    workers, the console at /, the Temporal UI behind basic auth, a document uploaded and read back,
 *    a project from application to its budget (held for the BDB's plan, Art. 11); then kill -9 of one API and one worker and a second
 *    project; then the counts (two projects, one audit entry per command, one allocation each,
 *    `audit:verify` clean inside an API container) and /readyz again.
 * 6. `podman-compose down -v` (unless --keep).
 *
 * Prints one closing line `compose: passed (N s)` or exits non-zero naming the step that failed.
 *
 * Steps 1-3 are scripts/compose/images.ts, step 4's secrets and waits scripts/compose/topology.ts,
 * step 5 scripts/compose/drive.ts; the options, log and commands they share scripts/compose/shell.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { drive } from './compose/drive.ts';
import { composeImages, prerequisites, standInImages } from './compose/images.ts';
import { elapsed, log, logFile, options, PROJECT, run, runLogged, workDir } from './compose/shell.ts';
import { freePort, makeSecrets, waitCompleted, waitHealthy } from './compose/topology.ts';

// --- main -----------------------------------------------------------------------------------------

async function main() {
  const podmanCompose = prerequisites();
  log('stand-in images');
  await standInImages();
  const image = `localhost/jincheng-bdp:compose-test`;
  log(`${image}: podman build ./Dockerfile (log: ${logFile})`);
  await runLogged('podman', ['build', '--pull=never', '-t', image, '-f', 'Dockerfile', '.'], logFile);
  // Each build leaves the previous one's stages dangling (1-2 GB); a day's worth stays as layer cache.
  run('podman', ['image', 'prune', '-f', '--filter', 'until=24h'], { allowFail: true });

  const secretsDir = path.join(workDir, 'secrets');
  const caddyImage = `docker.io/library/${composeImages().proxy}`;
  const secrets = makeSecrets(secretsDir, caddyImage);
  const ports = { api: await freePort(), ui: await freePort() };
  const env = {
    ...process.env,
    BDP_SECRETS_DIR: secretsDir,
    BDP_IMAGE: image,
    BDP_HTTPS_PORT: String(ports.api),
    BDP_UI_PORT: String(ports.ui),
    BDP_PUBLIC_URL: `https://localhost:${ports.api}`,
    BDP_UI_URL: `https://localhost:${ports.ui}`,
  };
  const compose = (args: string[]) => run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', ...args], { env });
  run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', 'down', '-v'], { env, allowFail: true });
  let failed: unknown;
  try {
    const up = (...services: string[]) => compose(['up', '-d', '--no-build', '--no-deps', ...services]);
    up('postgresql', 'seaweedfs');
    await waitHealthy('postgresql', 1);
    await waitHealthy('seaweedfs', 1);
    up('temporal-schema');
    await waitCompleted('temporal-schema');
    up('temporal');
    await waitHealthy('temporal', 1);
    up('temporal-admin-tools');
    await waitCompleted('temporal-admin-tools');
    up('temporal-ui', 'worker', 'api');
    await waitHealthy('temporal-ui', 1);
    await waitHealthy('worker', 2);
    await waitHealthy('api', 2);
    up('proxy');
    await waitHealthy('proxy', 1);
    log(
      `up: ${run('podman', ['ps', '--filter', `label=io.podman.compose.project=${PROJECT}`, '--format', '{{.Names}}'])
        .stdout.trim()
        .split('\n')
        .join(', ')}`,
    );
    await drive(fs.readFileSync(path.join(secretsDir, 'tls_cert')), ports, secrets);
  } catch (err) {
    failed = err;
  } finally {
    if (!options.keep) {
      run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', 'down', '-v'], { env, allowFail: true });
      fs.rmSync(workDir, { recursive: true, force: true });
    } else {
      log(`kept: project ${PROJECT}, secrets in ${secretsDir}; podman-compose -p ${PROJECT} down -v when done`);
    }
  }
  if (failed) throw failed instanceof Error ? failed : new Error('compose failed', { cause: failed });
  console.log(`compose: passed (${elapsed()})`);
}

main().catch((err) => {
  console.error(`compose: FAILED after ${elapsed()}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
