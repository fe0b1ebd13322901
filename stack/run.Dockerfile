# The run image: only what ERTS needs (libc, libssl3, libtinfo6, libstdc++6,
# zlib, ca-certificates; C.UTF-8 is built into bookworm's glibc), no compilers.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

ARG CNB_USER_ID=1002
ARG CNB_GROUP_ID=1000

LABEL io.buildpacks.stack.id="io.buildpacks.stacks.bookworm" \
      io.buildpacks.base.distro.name="debian" \
      io.buildpacks.base.distro.version="12" \
      io.buildpacks.base.maintainer="Elixir Buildpacks" \
      io.buildpacks.base.description="Debian bookworm run image for Elixir releases"

# A slim base may lack these; the debootstrap base already has them.
RUN if ! dpkg -s libssl3 ca-certificates libtinfo6 libstdc++6 zlib1g >/dev/null 2>&1; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libssl3 ca-certificates libtinfo6 libstdc++6 zlib1g \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --gid ${CNB_GROUP_ID} cnb \
 && useradd --uid ${CNB_USER_ID} --gid ${CNB_GROUP_ID} --create-home --shell /bin/sh cnb

ENV CNB_USER_ID=${CNB_USER_ID} CNB_GROUP_ID=${CNB_GROUP_ID} LANG=C.UTF-8
USER ${CNB_USER_ID}:${CNB_GROUP_ID}
