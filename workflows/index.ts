// Every workflow the worker registers (bundled by the Temporal SDK from this file).
export { projectWorkflow } from './project.ts';
