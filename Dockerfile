# syntax=docker/dockerfile:1
#
# chat-redact gateway: a small, non-root image.
#
#   docker build -t chat-redact .
#   docker run --rm -p 8080:8080 -e VENDOR_URL=https://bot.example.com/chat chat-redact
#   docker run --rm -p 8080:8080 -e NODE_ENV=development chat-redact   # the demo bot, to try it out
# The image sets NODE_ENV=production, which refuses to start the demo bot for customers.
#
# Node 26 is the Active LTS line (since 2026-10-28); the project itself supports Node >= 20.19.
# The base is pinned by digest (the multi-platform index of node:26-trixie-slim, Node 26.5.0, as
# docker-library's repo-info records it), so a build takes exactly the image that was reviewed;
# a moved tag changes nothing. To take a newer one, look its digest up and replace it here:
#   docker buildx imagetools inspect node:26-trixie-slim --format '{{json .Manifest.Digest}}'
ARG NODE_IMAGE=node:26-trixie-slim@sha256:ffc78385a788964bb3cbab5e434ff79a10bdc25b8ae6db03fe5fe6cb14053c09

# ---- build: compile TypeScript and bundle the browser code (esbuild) with the dev dependencies ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# The build writes the page and its style and icon under hashed names into dist/browser/.
COPY public ./public
RUN npm run build

# ---- runtime: production dependencies and the compiled output only ----------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# No production dependency needs an install script; --ignore-scripts keeps it that way. npm is
# needed for this one step and then removed with its cache, npx and corepack: the running image
# has no package manager to fetch or run code with.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf /root/.npm /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
COPY --from=build /app/dist ./dist
COPY public ./public
# The files above stay owned by root, so the service cannot rewrite its own code.
# 1000 is the official image's `node` user; numeric so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# Slim images have no curl: Node's own fetch asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (drain, then close with 1001): no shell and no npm in
# between to swallow the signal. It starts no child processes but cluster workers, which it reaps;
# `docker run --init` adds tini should that ever change.
STOPSIGNAL SIGTERM
ENTRYPOINT []
CMD ["node", "dist/cli.js", "serve"]
