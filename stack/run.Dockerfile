# The run image: only what ERTS and the release scripts need, on no distro
# image at all. From Debian bookworm's packages it takes the shared libraries
# ERTS links (libc, libm, libstdc++, libgcc_s, libtinfo, zlib, libssl/libcrypto
# for :crypto and :ssl, libsystemd and its libraries for epmd), the CA bundle
# and the C.UTF-8 locale, plus busybox for the /bin/sh scripts a release
# starts with (bin/<name> and erts' erl) and bash, which the CNB launcher
# runs commands given to it with. No package manager, no compilers.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE} AS files
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      busybox bash ca-certificates libssl3 libtinfo6 libstdc++6 zlib1g libsystemd0 \
 && rm -rf /var/lib/apt/lists/*
# Copies each package's files (not docs) to /rootfs at their real paths, so
# the merged-/usr links below hold.
RUN set -eu; \
    mkdir -p /rootfs/usr/bin /rootfs/usr/lib /rootfs/usr/lib64 /rootfs/usr/sbin /rootfs/etc/ssl/certs /rootfs/tmp /rootfs/home/cnb; \
    ln -s usr/bin /rootfs/bin; ln -s usr/lib /rootfs/lib; ln -s usr/lib64 /rootfs/lib64; ln -s usr/sbin /rootfs/sbin; \
    for p in libc6 libgcc-s1 libstdc++6 libtinfo6 zlib1g libssl3 libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1 liblzma5 libzstd1 busybox bash; do \
      dpkg -L "$p"; \
    done | grep -vE '^/usr/share/|/gconv/|^/etc/|^/usr/lib/x86_64-linux-gnu/audit/' | sort -u | while read -r f; do \
      if [ -f "$f" ] || [ -L "$f" ]; then \
        d=$(realpath "$(dirname "$f")"); mkdir -p "/rootfs$d"; cp -a "$f" "/rootfs$d/"; \
      fi; \
    done; \
    cp -a /usr/lib/locale /rootfs/usr/lib/locale; \
    cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    for a in $(busybox --list); do [ -e "/rootfs/usr/bin/$a" ] || ln -s busybox "/rootfs/usr/bin/$a"; done; \
    printf 'root:x:0:0:root:/root:/bin/sh\ncnb:x:1002:1000:cnb:/home/cnb:/bin/sh\n' >/rootfs/etc/passwd; \
    printf 'root:x:0:\ncnb:x:1000:\n' >/rootfs/etc/group; \
    printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf; \
    chmod 1777 /rootfs/tmp; chown 1002:1000 /rootfs/home/cnb

FROM scratch
COPY --from=files /rootfs/ /

ARG CNB_USER_ID=1002
ARG CNB_GROUP_ID=1000
LABEL io.buildpacks.stack.id="io.buildpacks.stacks.bookworm" \
      io.buildpacks.base.distro.name="debian" \
      io.buildpacks.base.distro.version="12" \
      io.buildpacks.base.maintainer="Elixir Buildpacks" \
      io.buildpacks.base.description="Minimal run image for Elixir releases: Debian bookworm libraries, busybox, no package manager"
ENV CNB_USER_ID=${CNB_USER_ID} CNB_GROUP_ID=${CNB_GROUP_ID} LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER ${CNB_USER_ID}:${CNB_GROUP_ID}
