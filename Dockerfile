# co2sat as a container: the `co2sat` CLI on Node 20, embedded wasm backend, non-root.
#
#   docker build -t registry.example.org/co2sat:0.1.0 .
#   docker run --rm -v "$PWD/data:/data" registry.example.org/co2sat:0.1.0 run /data/scenes \
#     --sites /data/sites.geojson --model /data/models/mtl --out /data/runs/eu --json
#
# GPU variant (NVIDIA, CUDA 11.8/cuDNN 8 as libtensorflow 2.x expects): build FROM
# nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04 with Node 20 installed, and in the runtime
# stage run `npm install --omit=dev --allow-scripts=@tensorflow/tfjs-node-gpu
# @tensorflow/tfjs-node-gpu` (its install script downloads libtensorflow, so the build needs
# network). `--backend auto` then picks tensorflow-gpu; the wasm backend stays the fallback.
# Run with `docker run --gpus all …`.

# Build stage: the TypeScript compiler is a devDependency, so dist/ is built here.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency may run an install script; `prepare` (tsc) runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY pipeline ./pipeline
COPY bench ./bench
COPY configs ./configs
RUN npm run build

# Runtime stage: production dependencies only (tfjs + tfjs-backend-wasm carry the .wasm files).
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY configs ./configs
COPY bench/*.py ./bench/
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/co2sat && chmod +x /app/dist/src/cli/main.js
# The image's own unprivileged user; mount data volumes writable by uid 1000.
USER node
WORKDIR /data
ENTRYPOINT ["co2sat"]
CMD ["--help"]
