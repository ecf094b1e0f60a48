# Production image for both the Temporal worker and the HTTP API (same image, different command):
#   API (default):  npx tsx api/server.ts
#   worker:         npx tsx worker.ts
# There is no build step: tsx (a runtime dependency) runs the .ts entry points directly.
# Both entry points require TEMPORAL_ADDRESS and DATABASE_URL (see lib/config.ts, docker-compose.yml).
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json worker.ts ./
COPY workflows/ ./workflows/
COPY activities/ ./activities/
COPY api/ ./api/
COPY db/ ./db/
COPY lib/ ./lib/
COPY scripts/ ./scripts/

# The sources stay root-owned and read-only for the process.
USER node

EXPOSE 3000
CMD ["npx", "tsx", "api/server.ts"]
