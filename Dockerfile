# Production image for the HTTP API (with the web console) and the Temporal worker: one image,
# two commands.
#   API (default):  npx tsx api/server.ts     — also serves the console at / from console/dist
#   worker:         npx tsx worker.ts
# Both need TEMPORAL_ADDRESS and DATABASE_URL (lib/config.ts; docker-compose.yml).
# test/image.test.ts checks that this file's file set starts the API, the worker and the console.

# --- build stage: the console (Vite and its types are development dependencies) -----------------
FROM node:20-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
# npm's postinstall guards the PostgreSQL driver (scripts/patch-postgres.mjs).
COPY scripts/patch-postgres.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json worker.ts ./
COPY domain/ ./domain/
COPY workflows/ ./workflows/
COPY activities/ ./activities/
COPY api/ ./api/
COPY db/ ./db/
COPY lib/ ./lib/
COPY scripts/ ./scripts/
COPY console/ ./console/
# The console's API types and forms come from the API's own OpenAPI document, then Vite builds it.
RUN npm run console:types && npx tsx console/scripts/build.ts --force

# --- runtime: production dependencies, the sources tsx runs, the built console ---------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer.
COPY package.json package-lock.json ./
# npm's postinstall guards the PostgreSQL driver (scripts/patch-postgres.mjs).
COPY scripts/patch-postgres.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json worker.ts ./
COPY domain/ ./domain/
COPY workflows/ ./workflows/
COPY activities/ ./activities/
COPY api/ ./api/
COPY db/ ./db/
COPY lib/ ./lib/
COPY scripts/ ./scripts/
COPY --from=console /app/console/dist ./console/dist

# The sources stay root-owned and read-only for the process.
USER node

EXPOSE 3000
CMD ["npx", "tsx", "api/server.ts"]
