# The baseline: the multi-stage shape `mix phx.gen.release --docker` writes,
# on the same base images as our builder. Differences, each forced by this
# machine or by apps without Phoenix: no `mix local.hex/local.rebar` (no Hex
# registry is reachable, and the apps have no Hex deps); path deps are copied
# from local_deps/ before deps.get; config/ is copied whole (the apps have only
# runtime.exs); the release is started by name instead of bin/server.
ARG TOOLCHAIN_IMAGE
ARG RUNNER_IMAGE

FROM ${TOOLCHAIN_IMAGE} AS builder
WORKDIR /app
ENV MIX_ENV="prod"

COPY mix.exs ./
COPY local_deps local_deps
RUN mix deps.get --only $MIX_ENV
COPY config config
RUN mix deps.compile

COPY priv priv
COPY lib lib
RUN mix compile
RUN mix release

FROM ${RUNNER_IMAGE}
ARG RELEASE_NAME
USER root
WORKDIR /app
RUN chown 1002:1000 /app
ENV MIX_ENV="prod" LANG=C.UTF-8 RELEASE_TMP=/tmp RELEASE_NAME=${RELEASE_NAME}
COPY --from=builder --chown=1002:1000 /app/_build/prod/rel/${RELEASE_NAME} ./
USER 1002:1000
CMD ["/bin/sh", "-c", "exec /app/bin/$RELEASE_NAME start"]
