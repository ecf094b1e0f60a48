// Per test worker: the SDK's own logs at WARN, so test output shows failures, not worker state changes.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this worker process
}
