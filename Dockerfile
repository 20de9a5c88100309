# The `ke controller` image (issue 16): `docker build -t ke:0.1.0 .`, then
# `ke controller manifests --image ke:0.1.0 | kubectl apply -f -`.
# Drivers the Cluster objects name by URL are installed at run time into KE_HOME (an emptyDir);
# built-in drivers (sample) are in the image. Add your own with a `COPY` into /usr/local/bin
# (kontainer-engine-driver-NAME on PATH), or name them by url + checksum in the Cluster spec.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY proto ./proto
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production KE_HOME=/var/lib/ke HOME=/var/lib/ke
WORKDIR /app
COPY --from=build /app/package.json /app/oclif.manifest.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/proto ./proto
RUN mkdir -p /var/lib/ke && chown 1000:1000 /var/lib/ke
# the image's `node` user; the Deployment also says runAsNonRoot with this uid
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "--", "bin/run.js"]
CMD ["controller", "--probe-address", ":8080", "--log-format", "json"]
