# The driftdeck agent's image: Node 20, non-root, for a read-only root filesystem (the Deployment from
# `driftdeck agent install --export` mounts emptyDirs at /tmp, /home/driftdeck and /var/cache/driftdeck).
# helm and kustomize are built from Go modules at the versions the local cluster pins (source/localcluster/versions.ts).
# Not in the image yet: driftdeck-jsonnet (Jsonnet apps say so by name). This file is not built by the project's CI:
# the machines it runs on cannot build or run images.

FROM golang:1.26-bookworm AS tools
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
RUN go install helm.sh/helm/v3/cmd/helm@v3.22.0 \
 && go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.1

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY source ./source
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 driftdeck && useradd --uid 10001 --gid 10001 --home-dir /home/driftdeck driftdeck
COPY --from=tools /go/bin/helm /go/bin/kustomize /usr/local/bin/
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER 10001:10001
ENV NODE_ENV=production HOME=/home/driftdeck XDG_CACHE_HOME=/var/cache/driftdeck MALLOC_ARENA_MAX=2
EXPOSE 9464
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["agent", "--help"]
