# One image for every Roster app; the compose file and the k8s manifests pick the entry point with `command`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first so the dependency layer is cached until they change.
COPY package.json package-lock.json ./
# `npm ci` applies patches/ to node_modules (patch-package, a dev dependency), so they come in with the manifests.
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# The runtime stage takes these node_modules, patched, without the dev dependencies.
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8 flags every service runs with: libs/platform/src/process/service-node-flags.ts says why (keep them alike).
ENV NODE_OPTIONS=--max-semi-space-size=32
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The apps read everything from the environment; nothing in the image is written at run time.
USER node
EXPOSE 8080 8081 8082 8083 8084
CMD ["node", "dist/apps/scim-gateway/src/main.js"]
