# Images for the API and the UI (docker-compose.yml). The agent runs on the host: see README.
FROM node:20-bookworm AS base
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund

FROM base AS api
RUN npx turbo run build --filter=@zeroscope/api --env-mode=loose
EXPOSE 4000
CMD ["npx", "tsx", "apps/api/src/main.ts"]

FROM base AS web
RUN npx turbo run build --filter=@zeroscope/web --env-mode=loose
WORKDIR /app/apps/web
EXPOSE 3000
CMD ["sh", "-c", "npx next start -p ${ZEROSCOPE_WEB_PORT:-3000}"]
