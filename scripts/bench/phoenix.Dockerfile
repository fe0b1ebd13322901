# The baseline for the Phoenix app: the multi-stage shape `mix phx.gen.release
# --docker` writes for Phoenix 1.7/1.8 (deps, then assets, then compile and
# the release; the runner starts bin/server), from the same Debian base image
# as our stack. Differences, each forced by this machine: no `mix
# local.hex/local.rebar` (no Hex registry is reachable; the deps are git
# stand-ins served on 127.0.0.1, GIT_DEPS_BASE); the asset tools, which
# `mix assets.deploy` would download, are copied into _build from the
# toolchain image (made beforehand, as the binaries would be fetched once).
ARG TOOLCHAIN_IMAGE
ARG RUNNER_IMAGE

FROM ${TOOLCHAIN_IMAGE} AS builder
ARG GIT_DEPS_BASE
WORKDIR /app
ENV MIX_ENV="prod" GIT_DEPS_BASE=${GIT_DEPS_BASE}

COPY mix.exs mix.lock ./
RUN mix deps.get --only $MIX_ENV
RUN mkdir config
COPY config/config.exs config/${MIX_ENV}.exs config/
RUN mix deps.compile

COPY priv priv
COPY lib lib
COPY assets assets
RUN mkdir -p _build && cp /opt/asset-tools/* _build/
RUN mix assets.deploy
RUN mix compile

COPY config/runtime.exs config/
COPY rel rel
RUN mix release

FROM ${RUNNER_IMAGE}
RUN apt-get update -y && \
  apt-get install -y libstdc++6 openssl libncurses6 locales ca-certificates \
  && apt-get clean && rm -f /var/lib/apt/lists/*_*
RUN sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8
WORKDIR "/app"
RUN chown nobody /app
ENV MIX_ENV="prod"
COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/hello ./
USER nobody
CMD ["/app/bin/server"]
