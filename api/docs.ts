/**
 * GET /docs: Swagger UI for the generated OpenAPI document (docs/API.md
 * "Operations"), served entirely by this API from the installed `swagger-ui-dist` package, so the page
 * works offline (government intranets) and loads nothing from a CDN. The initializer is a file,
 * not an inline script, and the validator badge (which would call validator.swagger.io) is off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono, type Env } from 'hono';

const require = createRequire(import.meta.url);
const DIST = path.dirname(require.resolve('swagger-ui-dist/package.json'));
export const SWAGGER_UI_VERSION = (
  JSON.parse(readFileSync(path.join(DIST, 'package.json'), 'utf8')) as { version: string }
).version;

/** Where the assets live; the version in the path lets browsers cache them for good. */
export const DOCS_ASSETS = `/docs/assets/${SWAGGER_UI_VERSION}`;

const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jincheng big-data projects API — Swagger UI</title>
<link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS}/swagger-initializer.js"></script>
</body>
</html>
`;

/** The files the page uses, with their media types; nothing else of the package is served. */
const ASSETS: Record<string, { type: string; load: () => Buffer | string }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', load: () => readFileSync(path.join(DIST, 'swagger-ui.css')) },
  'swagger-ui-bundle.js': {
    type: 'text/javascript; charset=utf-8',
    load: () => readFileSync(path.join(DIST, 'swagger-ui-bundle.js')),
  },
  'favicon-32x32.png': { type: 'image/png', load: () => readFileSync(path.join(DIST, 'favicon-32x32.png')) },
  'swagger-initializer.js': { type: 'text/javascript; charset=utf-8', load: () => INITIALIZER },
};

export function docsRoutes() {
  const app = new Hono<Env>();
  const cache = new Map<string, Buffer | string>();
  app.get('/docs', (c) => c.html(PAGE));
  app.get(`${DOCS_ASSETS}/:file`, (c) => {
    const name = c.req.param('file');
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.notFound();
    let body = cache.get(name);
    if (body === undefined) cache.set(name, (body = asset.load()));
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });
  return app;
}
