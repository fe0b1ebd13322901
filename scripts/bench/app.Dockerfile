# The baseline: the multi-stage shape `mix phx.gen.release --docker` writes,
# built from the same Debian base image as our stack (its runner stage FROM
# the base, installing its runtime packages as the generated file does:
# libncurses6, as Phoenix 1.8 writes it; 1.7's libncurses5 is not in Debian
# 13). Differences, each forced by this machine or by apps without Phoenix:
# no `mix local.hex/local.rebar` (no Hex
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
RUN apt-get update -y && \
  apt-get install -y libstdc++6 openssl libncurses6 locales ca-certificates \
  && apt-get clean && rm -f /var/lib/apt/lists/*_*
RUN sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8
WORKDIR "/app"
RUN chown nobody /app
ENV MIX_ENV="prod" RELEASE_NAME=${RELEASE_NAME}
COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/${RELEASE_NAME} ./
USER nobody
CMD ["/bin/sh", "-c", "exec /app/bin/$RELEASE_NAME start"]
