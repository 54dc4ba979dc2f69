# comments_server in a container.
#
#   docker build -t comments-server .
#   docker build --build-arg BASE_IMAGE=my/bookworm --build-arg BUILD_IMAGE=my/bookworm .
#
# Both images must be Debian bookworm: the runtime stage installs the same
# Debian library packages the build stage compiled against.
ARG BUILD_IMAGE=debian:bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILD_IMAGE} AS build
# The one list of build packages (the same script sets up a developer
# machine); --no-web leaves out Node.js and Chromium, which only the web
# frontends and their tests need.
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
RUN bash /src/scripts/install-deps.sh --no-web && rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src
# Only the programs the image ships are built; tests run on the host
# (scripts/test.sh).
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build /build -j"$(nproc)" \
      --target comments_server comments_probe commentctl \
 && mkdir -p /out \
 && cp /build/service/comments_server /build/client/probe/comments_probe \
      /build/client/cli/commentctl /out/ \
 && strip --strip-unneeded /out/*

FROM ${BASE_IMAGE}
# Runtime libraries only. The ldd check fails the build, naming the library,
# if a program needs one that is not listed here.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libabsl20220623 \
      libcidr0 \
      libgrpc++1.51 \
      libicu72 \
      libpqxx-6.4 \
      libprometheus-cpp-core1.0 \
      libprometheus-cpp-pull1.0 \
      libprotobuf32 \
      libre2-9 \
      libsodium23 \
      liburiparser1 \
      libuuid1 \
      libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 10001 --user-group --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin comments
COPY --from=build /out/ /usr/local/bin/
RUN missing="$(ldd /usr/local/bin/* | grep 'not found' || true)" \
 && if [ -n "${missing}" ]; then echo "missing libraries:" "${missing}"; exit 1; fi

USER comments:comments
# Every interface inside the container: the container's own network is the
# boundary, and docker-compose.yml publishes the port on the host's loopback
# only. The probe checks the same port on 127.0.0.1.
ENV COMMENTS_LISTEN=0.0.0.0:50051
EXPOSE 50051
# Prometheus metrics (/metrics) when COMMENTS_METRICS_LISTEN is set, as
# docker-compose.yml does.
EXPOSE 9464
# The standard gRPC health service: NOT_SERVING from the moment shutdown
# starts, so a draining container fails its checks.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["comments_probe", "--timeout_ms=3000"]
# The server drains in-flight calls for COMMENTS_SHUTDOWN_GRACE_MS (4 s by
# default) after SIGTERM, well inside Docker's 10 s stop timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["comments_server"]
