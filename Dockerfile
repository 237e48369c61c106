# One image for both Herald processes; docker-compose.yml picks the API or the worker command.
FROM node:20-slim

WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies stay: tsx runs the TypeScript directly. Install scripts are skipped: none is
# needed at run time (the embedded PostgreSQL binaries only serve `npm start` without DATABASE_URL).
RUN npm ci --ignore-scripts && npm cache clean --force

COPY . .
# Workers load this bundle instead of running webpack as they start (README, "Production"); it
# records the sources it was built from, and a worker refuses it once they differ.
RUN npm run build:workflows
ENV HERALD_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# Set after `npm ci`, which would otherwise leave out the dev dependencies.
ENV NODE_ENV=production
USER node

# node is PID 1 itself: `npx tsx` would put npm, sh and the tsx launcher in between, and the shell
# dies of the SIGTERM npm passes on without passing it further, so the graceful shutdown (README,
# "Production": stopping) would never run.
CMD ["node", "--import", "tsx", "api/server.ts"]
