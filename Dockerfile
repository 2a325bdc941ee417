# The storefront as a container: built with the project's own release script, run from the
# self-contained release folder on a slim base, as a non-root user, with a read-only root
# filesystem (the server writes nothing when it talks to the real Wix).
#
#   docker build -t wix-storefront .
#   docker run --read-only -p 3000:3000 \
#     -e WIX_CLIENT_ID=... -e SESSION_SECRET=... -e PUBLIC_URL=https://shop.example.com \
#     wix-storefront

FROM rust:1.95-slim-bookworm AS build
# gcc and make for crates that build C, Node.js and npm for wasm-opt (npm binaryen), brotli for
# the bundle's precompressed copies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config nodejs npm brotli ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/release.sh

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin storefront
WORKDIR /app
COPY --from=build --chown=root:root /src/dist/ /app/
USER 10001:10001
ENV LEPTOS_ENV=PROD \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/app/wix-storefront", "healthcheck"]
ENTRYPOINT ["/app/wix-storefront"]
