# syntax=docker/dockerfile:1
# Sesame in a container: `docker build -t sesame .` then see README "Operations".
# Stage 1 builds the console (Vite) and the server (tsc) into dist/ and keeps production
# dependencies only; stage 2 runs them as a non-root user with the data folder on a volume.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SESAME_DATA_DIR=/var/lib/sesame \
    SESAME_HTTP_HOST=0.0.0.0 \
    SESAME_SMTP_HOST=0.0.0.0
RUN groupadd --system sesame \
 && useradd --system --gid sesame --home-dir /var/lib/sesame --shell /usr/sbin/nologin sesame \
 && mkdir -p /var/lib/sesame \
 && chown sesame:sesame /var/lib/sesame \
 && chmod 0700 /var/lib/sesame
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY LICENSE ./LICENSE
USER sesame
VOLUME ["/var/lib/sesame"]
# HTTP API and console, SMTP with STARTTLS, SMTP with implicit TLS.
EXPOSE 8787 2587 2465 2525
# Ready = the store answers (GET /ready); a container whose database is away is unhealthy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SESAME_HTTP_PORT||8787)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli/sesame.js", "serve"]
