# The build image: what buildpacks need to compile Elixir apps and their NIFs.
# DEBIAN_SUITE and DEBIAN_VERSION name the Debian release BASE_IMAGE is
# (scripts/lib/common.sh sets all three from ELIXIR_BP_SUITE).
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
ARG DEBIAN_SUITE=trixie
ARG DEBIAN_VERSION=13

ARG CNB_USER_ID=1001
ARG CNB_GROUP_ID=1000

LABEL io.buildpacks.stack.id="io.buildpacks.stacks.${DEBIAN_SUITE}" \
      io.buildpacks.base.distro.name="debian" \
      io.buildpacks.base.distro.version="${DEBIAN_VERSION}" \
      io.buildpacks.base.maintainer="Elixir Buildpacks" \
      io.buildpacks.base.description="Debian ${DEBIAN_SUITE} build image for Elixir Buildpacks"

# build-essential and git for NIFs and git deps; tar/gzip/unzip for archives.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential ca-certificates git libssl-dev libncurses-dev zlib1g-dev \
      tar gzip unzip xz-utils \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb

RUN groupadd --gid ${CNB_GROUP_ID} cnb \
 && useradd --uid ${CNB_USER_ID} --gid ${CNB_GROUP_ID} --create-home --shell /bin/bash cnb

ENV CNB_USER_ID=${CNB_USER_ID} CNB_GROUP_ID=${CNB_GROUP_ID} LANG=C.UTF-8
USER ${CNB_USER_ID}:${CNB_GROUP_ID}
