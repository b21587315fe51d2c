# syntax=docker/dockerfile:1
# One image for every role: `docker run <image> api|relay|notification|recurrence|migrate`.
# Node 22: several transitive dependencies (@whatwg-node/*) declare node >= 22.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lock holds only the optional binaries of the platform it was
# made on (see README, "Test it").
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000 \
    DATA_DIR=/tmp/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/dashboard/dist ./dist/dashboard/dist
COPY package.json ./
# The image's `node` user (uid 1000); the chart runs it with a read-only root filesystem.
USER node
EXPOSE 4000
ENTRYPOINT ["node", "dist/server/main.js"]
CMD ["api"]
